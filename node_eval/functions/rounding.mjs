// ROUND, ROUNDUP, ROUNDDOWN, TRUNC, INT, EVEN, ODD, MOD, QUOTIENT, SIGN, ABS as
// Excel computes them.
//
// Replaces HyperFormula's built-ins, which differ from Excel in:
// - precision: Excel rounds the 15-significant-digit value of a number, so
//   ROUND(298.9*1.05, 2) is 313.85 (HyperFormula 313.84) and INT(123456789 -
//   4E-7) is 123456789; HyperFormula also rounds with a fractional number of
//   digits, where Excel truncates it (ROUND(7.123, 0.5) is 7);
// - INT(-1E-5) is -1 (HyperFormula: 0, it truncated toward zero);
// - argument conversion: "" is #VALUE!, ISO date text is a date, and QUOTIENT
//   (from the Analysis ToolPak) refuses logical values;
// - TRUNC was an alias of ROUNDDOWN, so it is declared here too.
// MOD is the exact floored remainder (sign of the divisor), as Excel's
// MOD(10.0000000001, 0.1) = 9.999945316252479E-11 shows; QUOTIENT truncates
// the 15-digit quotient toward zero.

import { CellError, ErrorType } from 'hyperformula';

import { numericPlugin } from './lib/math-plugin.mjs';
import { round15, roundDecimal } from './lib/math-round.mjs';

const divideByZero = () => new CellError(ErrorType.DIV_BY_ZERO, 'Division by zero.');

/** The integer away from zero that `step` picks (EVEN: next even, ODD: next odd). */
function awayFromZero(x, odd) {
  const magnitude = Math.ceil(Math.abs(round15(x)));
  const parityFixed = magnitude % 2 === (odd ? 1 : 0) ? magnitude : magnitude + 1;
  return x < 0 ? -parityFixed : parityFixed;
}

/** Remainder with the sign of the divisor, exact for doubles. */
function mod(x, y) {
  if (y === 0) return divideByZero();
  const remainder = x % y;
  if (remainder === 0 || remainder < 0 === y < 0) return remainder;
  return remainder + y;
}

const rounding = (mode) => (x, digits = 0) => roundDecimal(x, Math.trunc(digits), mode);

const RoundingPlugin = numericPlugin('RoundingPlugin', {
  ROUND: { fn: rounding('half'), required: 2 },
  ROUNDUP: { fn: rounding('up'), required: 2 },
  ROUNDDOWN: { fn: rounding('down'), required: 2 },
  TRUNC: { fn: rounding('down'), optional: 1 },
  INT: { fn: (x) => Math.floor(round15(x)) },
  EVEN: { fn: (x) => (x === 0 ? 0 : awayFromZero(x, false)) },
  ODD: { fn: (x) => awayFromZero(x, true) },
  MOD: { fn: mod, required: 2 },
  QUOTIENT: { fn: (x, y) => (y === 0 ? divideByZero() : Math.trunc(round15(x / y))), required: 2, booleans: false },
  SIGN: { fn: Math.sign },
  ABS: { fn: Math.abs },
});

export default { plugin: RoundingPlugin };
