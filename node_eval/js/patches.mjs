// Corrections to HyperFormula's own semantics where Excel differs and no plugin can
// reach: operators and coercion live in HyperFormula's ArithmeticHelper, which the
// public API does not expose, so the class is imported from its file in the pinned
// package (hyperformula 3.5.0; a version bump must re-check every patch here).

import { CellError, EmptyValue, ErrorType, SimpleRangeValue } from 'hyperformula';

import { generalText } from '../functions/lib/text-general.mjs';
import { ArithmeticHelper } from '../node_modules/hyperformula/es/interpreter/ArithmeticHelper.mjs';
import { getRawValue, isExtendedNumber } from '../node_modules/hyperformula/es/interpreter/InterpreterValue.mjs';
import { Interpreter } from '../node_modules/hyperformula/es/interpreter/Interpreter.mjs';
import { Exporter } from '../node_modules/hyperformula/es/Exporter.mjs';
import { ArraySize, ArraySizePredictor } from '../node_modules/hyperformula/es/ArraySize.mjs';
import { ArrayValue } from '../node_modules/hyperformula/es/ArrayValue.mjs';
import { ArrayFormulaVertex, ScalarFormulaVertex } from '../node_modules/hyperformula/es/DependencyGraph/FormulaVertex.mjs';
import { Evaluator } from '../node_modules/hyperformula/es/Evaluator.mjs';
import { InterpreterState } from '../node_modules/hyperformula/es/interpreter/InterpreterState.mjs';
import { ErroredArray } from '../node_modules/hyperformula/es/ArrayValue.mjs';
import { FunctionPlugin } from '../node_modules/hyperformula/es/interpreter/plugin/FunctionPlugin.mjs';
import { ErrorMessage } from '../node_modules/hyperformula/es/error-message.mjs';
import { AbsoluteCellRange } from '../node_modules/hyperformula/es/AbsoluteCellRange.mjs';
import { DependencyGraph } from '../node_modules/hyperformula/es/DependencyGraph/DependencyGraph.mjs';

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
// than the predicted size is cut to it (HyperFormula would throw). A formula the file
// does not record as an array is one cell, whatever HyperFormula predicts.
const spillHints = new Map(); // "sheet:row:col" (HyperFormula ids, 0-based) -> {width, height}

/**
 * The recorded array ranges of the workbook about to be built:
 * [[sheet, row, col, height, width, dynamic]]. A dynamic array spills at least as far
 * as the file records; a legacy (CSE) array is cut to the range it was entered in.
 */
export function setSpillHints(hints) {
  spillHints.clear();
  for (const [sheet, row, col, height, width, dynamic = true] of hints) {
    spillHints.set(`${sheet}:${row}:${col}`, { width, height, dynamic });
  }
}

function spillSizesFromTheFile() {
  const original = ArraySizePredictor.prototype.checkArraySize;
  ArraySizePredictor.prototype.checkArraySize = function checkArraySize(ast, address) {
    const predicted = original.call(this, ast, address);
    const hint = spillHints.get(`${address.sheet}:${address.row}:${address.col}`);
    if (hint === undefined) {
      // (a named expression lives on sheet -1 and keeps its range)
      return predicted.isRef || address.sheet < 0 ? predicted : ArraySize.scalar();
    }
    if (predicted.isRef || !hint.dynamic) return new ArraySize(hint.width, hint.height);
    return new ArraySize(Math.max(predicted.width, hint.width), Math.max(predicted.height, hint.height));
  };
  const setCellValue = ArrayFormulaVertex.prototype.setCellValue;
  ArrayFormulaVertex.prototype.setCellValue = function setLegacyArray(value) {
    const { sheet, row, col } = this.cellAddress;
    const hint = spillHints.get(`${sheet}:${row}:${col}`);
    if (hint === undefined || hint.dynamic || value instanceof CellError) return setCellValue.call(this, value);
    this.array = legacyFill(ArrayValue.fromInterpreterValue(value), hint.width, hint.height);
    return value;
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

// A plain formula (not entered as an array) shows one value in Excel, whatever its
// result: a reference is intersected with the formula's row or column (=INDEX(A1:C3,2,0)
// in column B reads B2), a computed array shows its first value (=TREND(B1:B10)).
// HyperFormula would spill either over the cells around it.
function plainFormulasShowOneValue() {
  const setCellValue = ScalarFormulaVertex.prototype.setCellValue;
  ScalarFormulaVertex.prototype.setCellValue = function setOneValue(value) {
    // (a named expression lives on sheet -1 and keeps its range)
    const plain = value instanceof SimpleRangeValue && this.cellAddress.sheet >= 0;
    return setCellValue.call(this, plain ? oneValue(value, this.cellAddress) : value);
  };
}

function oneValue(range, address) {
  if (range.width() === 1 && range.height() === 1) return range.data[0][0];
  const source = range.range;
  if (source === undefined) return range.data[0][0];
  const { start, end } = source;
  if (start.sheet === address.sheet && source.width() === 1 && start.row <= address.row && address.row <= end.row) {
    return range.data[address.row - start.row][0];
  }
  if (start.sheet === address.sheet && source.height() === 1 && start.col <= address.col && address.col <= end.col) {
    return range.data[0][address.col - start.col];
  }
  return new CellError(ErrorType.VALUE, 'A range where one value is expected.');
}

// #SPILL! only when the result needs the room. HyperFormula answers #SPILL! for an
// array formula whose predicted size meets a filled cell, before computing it; Excel
// computes first, and an error or a single value stays in the anchor cell
// (=LINEST(B2:B14,A2:A14^{1,2}) beside a filled cell is #VALUE!, not #SPILL!).
function spillOnlyWhatNeedsRoom() {
  const original = Evaluator.prototype.recomputeFormulaVertexValue;
  Evaluator.prototype.recomputeFormulaVertexValue = function recompute(vertex) {
    if (
      !(vertex instanceof ArrayFormulaVertex) ||
      vertex.array.size.isRef ||
      this.dependencyGraph.isThereSpaceForArray(vertex)
    ) {
      return original.call(this, vertex);
    }
    const address = vertex.getAddress(this.lazilyTransformingAstService);
    const formula = vertex.getFormula(this.lazilyTransformingAstService);
    const state = new InterpreterState(address, this.config.useArrayArithmetic, vertex);
    const value = this.evaluateAstToCellValue(formula, state);
    const single = value instanceof SimpleRangeValue && value.width() === 1 && value.height() === 1;
    if (value instanceof CellError || single) {
      const shown = single ? value.data[0][0] : value;
      vertex.array = shown instanceof CellError
        ? new ErroredArray(shown, ArraySize.scalar())
        : new ArrayValue([[shown]]);
      return shown;
    }
    if (!(value instanceof SimpleRangeValue)) {
      vertex.array = new ArrayValue([[value]]);
      return value;
    }
    return vertex.setNoSpace();
  };
}

// A call with the wrong number of arguments (files written by other programs hold
// them): Excel answers #VALUE!, or the first error among the arguments (an undefined
// name gives #NAME?); HyperFormula answers #N/A.
function wrongArgumentCountAsExcel() {
  Object.defineProperty(FunctionPlugin.prototype, 'runFunction', {
    configurable: true,
    set(original) {
      const plugin = this;
      const run = (args, state, metadata, implementation) => {
        const result = original(args, state, metadata, implementation);
        if (!(result instanceof CellError) || result.message !== ErrorMessage.WrongArgNumber) return result;
        const values = plugin.evaluateArguments(args, state, metadata).map(([value]) => value);
        return values.find((value) => value instanceof CellError) ?? new CellError(ErrorType.VALUE, result.message);
      };
      Object.defineProperty(this, 'runFunction', { value: run, writable: true, configurable: true });
    },
  });
}

/**
 * What a CSE array formula entered over width x height cells shows, from its result:
 * a single value fills the range, a one-row result repeats down, a one-column result
 * across; a cell outside the result is #N/A, and an empty value is 0.
 */
function legacyFill(result, width, height) {
  const rows = [];
  for (let r = 0; r < height; r += 1) {
    const cells = [];
    for (let c = 0; c < width; c += 1) {
      const sr = result.height() === 1 ? 0 : r;
      const sc = result.width() === 1 ? 0 : c;
      if (sr >= result.height() || sc >= result.width()) {
        cells.push(new CellError(ErrorType.NA, 'Outside the result of its array formula.'));
      } else {
        const item = result.get(sc, sr);
        cells.push(item === EmptyValue ? 0 : item);
      }
    }
    rows.push(cells);
  }
  return new ArrayValue(rows);
}

// Build speed. For each formula reading a range, HyperFormula 3.5.0 re-adds an edge
// from every cell of that range to the range's vertex, even when the vertex already
// exists with all those edges: 3,000 VLOOKUPs over one 26,000-cell table cost 78
// million edge insertions. A range vertex this patch has seen fully built only gets
// the edge to the new formula.
function rangeEdgesOnce() {
  const built = new WeakSet();
  const original = DependencyGraph.prototype.processCellDependencies;
  DependencyGraph.prototype.processCellDependencies = function processCellDependencies(dependencies, endVertex) {
    const fresh = [];
    for (const dep of dependencies) {
      const vertex = dep instanceof AbsoluteCellRange ? this.getRange(dep.start, dep.end) : undefined;
      if (vertex !== undefined && built.has(vertex) && vertex.idInGraph !== undefined) {
        this.graph.addEdge(vertex.idInGraph, endVertex.idInGraph);
      } else {
        fresh.push(dep);
      }
    }
    original.call(this, fresh, endVertex);
    for (const dep of fresh) {
      if (dep instanceof AbsoluteCellRange && dep.isFinite()) {
        const vertex = this.getRange(dep.start, dep.end);
        if (vertex !== undefined) built.add(vertex);
      }
    }
  };
}

const PATCHES = [
  ['range edges once', rangeEdgesOnce],
  ['wrong argument count as Excel', wrongArgumentCountAsExcel],
  ['spill sizes from the file', spillSizesFromTheFile],
  ['#SPILL! only when the result needs room', spillOnlyWhatNeedsRoom],
  ['plain formulas show one value', plainFormulasShowOneValue],
  ['export full precision', exportFullPrecision],
  ['empty string is not a number', emptyStringIsNotANumber],
  ['& shows numbers as Excel', concatenationShowsNumbersAsExcel],
  ['^ as Excel', powerAsExcel],
];
