// Corrections to HyperFormula's own semantics where Excel differs and no plugin can
// reach: operators and coercion live in HyperFormula's ArithmeticHelper, which the
// public API does not expose, so the class is imported from its file in the pinned
// package (hyperformula 3.5.0; a version bump must re-check every patch here).

import { CellError, EmptyValue, ErrorType } from 'hyperformula';

import { generalText } from '../functions/lib/text-general.mjs';
import { ArithmeticHelper } from '../node_modules/hyperformula/es/interpreter/ArithmeticHelper.mjs';
import { getRawValue, isExtendedNumber } from '../node_modules/hyperformula/es/interpreter/InterpreterValue.mjs';
import { Interpreter } from '../node_modules/hyperformula/es/interpreter/Interpreter.mjs';
import { Exporter } from '../node_modules/hyperformula/es/Exporter.mjs';
import { ArraySize, ArraySizePredictor } from '../node_modules/hyperformula/es/ArraySize.mjs';
import { ArrayValue } from '../node_modules/hyperformula/es/ArrayValue.mjs';

let applied = false;

/** Apply every patch once; returns their names (reported by `hello`). */
export function applyPatches() {
  if (applied) return PATCHES.map(([name]) => name);
  for (const [, patch] of PATCHES) patch();
  applied = true;
  return PATCHES.map(([name]) => name);
}

// Excel: ""+1, ""*"1" and -"" are #VALUE! (an empty string is text that is not a
// number); HyperFormula coerces "" to 0. A truly empty cell still counts as 0 in both.
// (Other text keeps HyperFormula's reading; the functions apply Excel's own rules.)
function emptyStringIsNotANumber() {
  const original = ArithmeticHelper.prototype.coerceNonDateScalarToMaybeNumber;
  ArithmeticHelper.prototype.coerceNonDateScalarToMaybeNumber = function coerce(arg) {
    if (arg === '') return undefined;
    return original.call(this, arg);
  };
}

// Excel: ="x"&1/3 is "x0.333333333333333" (a number becomes text as General shows it:
// 15 significant digits, 1E+20 above 1e15); HyperFormula uses JavaScript's toString
// ("x0.3333333333333333", "x100000000000000000000"). The Interpreter builds its `&`
// operator in its constructor, so the assignment is intercepted on the prototype.
function concatenationShowsNumbersAsExcel() {
  const concat = (left, right) => {
    const a = textOf(left);
    if (a instanceof CellError) return a;
    const b = textOf(right);
    if (b instanceof CellError) return b;
    return a + b;
  };
  interceptOperator('concatOp', () => concat);
}

/** Replace an operator the Interpreter assigns in its constructor: `make(interpreter)`. */
function interceptOperator(name, make) {
  Object.defineProperty(Interpreter.prototype, name, {
    configurable: true,
    set() {
      Object.defineProperty(this, name, { value: make(this), writable: true, configurable: true });
    },
  });
}

// Excel's ^: 0^0 is #NUM!, 0^-1 #DIV/0!, and a negative base takes odd roots
// ((-8)^(1/3) = -2); HyperFormula gives 1, #NUM! and #NUM! (JavaScript's Math.pow).
function powerAsExcel() {
  interceptOperator('powerOp', (interpreter) => (left, right) => {
    const helper = interpreter.arithmeticHelper;
    const x = helper.coerceScalarToNumberOrError(left);
    if (x instanceof CellError) return x;
    const y = helper.coerceScalarToNumberOrError(right);
    if (y instanceof CellError) return y;
    return excelPower(getRawValue(x), getRawValue(y));
  });
}

function excelPower(x, y) {
  if (x === 0) {
    if (y === 0) return new CellError(ErrorType.NUM, '0^0 is undefined.');
    if (y < 0) return new CellError(ErrorType.DIV_BY_ZERO, 'Division by zero.');
    return 0;
  }
  if (x < 0 && !Number.isInteger(y)) {
    const root = Number((1 / y).toPrecision(15));
    if (Number.isInteger(root) && Math.abs(root % 2) === 1) return -Math.pow(-x, y);
    return new CellError(ErrorType.NUM, 'A negative number has no real root of this order.');
  }
  const result = Math.pow(x, y);
  return Number.isFinite(result) ? result : new CellError(ErrorType.NUM, 'The result is too large.');
}

function textOf(value) {
  if (value instanceof CellError || typeof value === 'string') return value;
  if (value === EmptyValue) return '';
  if (isExtendedNumber(value)) return generalText(getRawValue(value));
  return value ? 'TRUE' : 'FALSE';
}

// Values leave the engine with full double precision, as Excel stores them. With
// smartRounding on (needed for Excel-like comparisons), HyperFormula's exporter rounds
// every number to precisionRounding + 1 = 11 significant digits.
function exportFullPrecision() {
  Exporter.prototype.cellValueRounding = (value) => value;
}

// Spill sizes. HyperFormula must know an array formula's size before it computes it;
// for SEQUENCE(DAY(EOMONTH(A1,0))) and friends it cannot, and answers #VALUE!. For a
// dynamic-array anchor the file records the range Excel spilled into: it is used as
// the size when HyperFormula's own prediction fails or is smaller. A result larger
// than the predicted size is cut to it (HyperFormula would throw).
const spillHints = new Map(); // "sheet:row:col" (HyperFormula ids, 0-based) -> {width, height}

/** The recorded spill ranges of the workbook about to be built: [[sheet,row,col,height,width]]. */
export function setSpillHints(hints) {
  spillHints.clear();
  for (const [sheet, row, col, height, width] of hints) spillHints.set(`${sheet}:${row}:${col}`, { width, height });
}

function spillSizesFromTheFile() {
  const original = ArraySizePredictor.prototype.checkArraySize;
  ArraySizePredictor.prototype.checkArraySize = function checkArraySize(ast, address) {
    const predicted = original.call(this, ast, address);
    const hint = spillHints.get(`${address.sheet}:${address.row}:${address.col}`);
    if (hint === undefined) return predicted;
    if (predicted.isRef) return new ArraySize(hint.width, hint.height);
    return new ArraySize(Math.max(predicted.width, hint.width), Math.max(predicted.height, hint.height));
  };
  const resize = ArrayValue.prototype.resize;
  ArrayValue.prototype.resize = function cutOrPad(size) {
    if (this.height() > size.height) {
      this.array.length = size.height;
      this.size.height = size.height;
    }
    if (this.width() > size.width) {
      for (const row of this.array) row.length = size.width;
      this.size.width = size.width;
    }
    return resize.call(this, size);
  };
}

const PATCHES = [
  ['spill sizes from the file', spillSizesFromTheFile],
  ['export full precision', exportFullPrecision],
  ['empty string is not a number', emptyStringIsNotANumber],
  ['& shows numbers as Excel', concatenationShowsNumbersAsExcel],
  ['^ as Excel', powerAsExcel],
];
