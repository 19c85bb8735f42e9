// Corrections to HyperFormula's own semantics where Excel differs and no plugin can
// reach: operators and coercion live in HyperFormula's ArithmeticHelper, which the
// public API does not expose, so the class is imported from its file in the pinned
// package (hyperformula 3.5.0; a version bump must re-check every patch here).

import { CellError, EmptyValue } from 'hyperformula';

import { generalText } from '../functions/lib/text-general.mjs';
import { ArithmeticHelper } from '../node_modules/hyperformula/es/interpreter/ArithmeticHelper.mjs';
import { getRawValue, isExtendedNumber } from '../node_modules/hyperformula/es/interpreter/InterpreterValue.mjs';
import { Interpreter } from '../node_modules/hyperformula/es/interpreter/Interpreter.mjs';

let applied = false;

/** Apply every patch once; returns their names (reported by `hello`). */
export function applyPatches() {
  if (applied) return PATCHES.map(([name]) => name);
  for (const [, patch] of PATCHES) patch();
  applied = true;
  return PATCHES.map(([name]) => name);
}

// Excel: ""+1, ""*"1", -"" are #VALUE! (an empty string is text that is not a number);
// HyperFormula coerces "" to 0. A truly empty cell still counts as 0 in both.
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
  Object.defineProperty(Interpreter.prototype, 'concatOp', {
    configurable: true,
    set() {
      Object.defineProperty(this, 'concatOp', { value: concat, writable: true, configurable: true });
    },
  });
}

function textOf(value) {
  if (value instanceof CellError || typeof value === 'string') return value;
  if (value === EmptyValue) return '';
  if (isExtendedNumber(value)) return generalText(getRawValue(value));
  return value ? 'TRUE' : 'FALSE';
}

const PATCHES = [
  ['empty string is not a number', emptyStringIsNotANumber],
  ['& shows numbers as Excel', concatenationShowsNumbersAsExcel],
];
