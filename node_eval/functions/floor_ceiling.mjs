// FLOOR, CEILING, FLOOR.MATH, CEILING.MATH, FLOOR.PRECISE, CEILING.PRECISE,
// ISO.CEILING and MROUND as Excel computes them.
//
// Replaces HyperFormula's built-ins, which differ from Excel in:
// - precision: Excel rounds number/significance to 15 significant digits before
//   taking the floor or ceiling, so FLOOR(7.1, 0.1) is 7.1 (HyperFormula: 7);
// - CEILING(x, 0) is 0 in Excel (#DIV/0! in HyperFormula), FLOOR(x, 0) #DIV/0!;
// - a quotient that overflows (CEILING(709, 1E-307)) is #NUM!;
// - argument conversion: "" is #VALUE!, ISO date text is a date, and the first
//   argument that is an error or not a number decides the result;
// - ISO.CEILING is an alias of CEILING.PRECISE, so it is declared here too.
//
// Rules (Excel 2010 and later, as documented and measured):
// FLOOR(x, s): 0 if x = 0; #DIV/0! if s = 0; #NUM! if x > 0 and s < 0; else
//   floor(x/s)*s (negative x with negative s rounds toward zero).
// CEILING(x, s): 0 if x = 0 or s = 0; #NUM! if x > 0 and s < 0; else ceil(x/s)*s.
// FLOOR.MATH / CEILING.MATH(x, [s=1], [mode=0]): the sign of s is ignored, s = 0
//   gives 0; for negative x a nonzero mode rounds toward zero (FLOOR.MATH) or
//   away from zero (CEILING.MATH).
// FLOOR.PRECISE / CEILING.PRECISE / ISO.CEILING(x, [s=1]): as .MATH with mode 0.
// MROUND(x, m): 0 if m = 0; #NUM! if x and m have different signs; else
//   m * round(x/m), halves away from zero. MROUND (from the Analysis ToolPak)
//   refuses logical values (#VALUE!), the others read TRUE as 1.

import { CellError, ErrorType } from 'hyperformula';

import { finite, numError } from './lib/math-coerce.mjs';
import { numericPlugin } from './lib/math-plugin.mjs';
import { round15 } from './lib/math-round.mjs';

/** `x/s` taken to the integer `step` chooses, times `s`; #NUM! when x/s overflows. */
function multiple(x, s, step) {
  const quotient = x / s;
  if (!Number.isFinite(quotient)) return numError('The quotient number/significance overflows.');
  return finite(step(round15(quotient)) * s);
}

/** Round half away from zero. */
function roundHalfAway(q) {
  return q < 0 ? -Math.round(-q) : Math.round(q);
}

function floor(x, s) {
  if (x === 0) return 0;
  if (s === 0) return new CellError(ErrorType.DIV_BY_ZERO, 'Significance is zero.');
  if (x > 0 && s < 0) return numError('Number and significance have different signs.');
  return multiple(x, s, Math.floor);
}

function ceiling(x, s) {
  if (x === 0 || s === 0) return 0;
  if (x > 0 && s < 0) return numError('Number and significance have different signs.');
  return multiple(x, s, Math.ceil);
}

function floorMath(x, s = 1, mode = 0) {
  if (x === 0 || s === 0) return 0;
  const towardZero = x < 0 && mode !== 0;
  return multiple(x, Math.abs(s), towardZero ? Math.ceil : Math.floor);
}

function ceilingMath(x, s = 1, mode = 0) {
  if (x === 0 || s === 0) return 0;
  const awayFromZero = x < 0 && mode !== 0;
  return multiple(x, Math.abs(s), awayFromZero ? Math.floor : Math.ceil);
}

function mround(x, m) {
  if (x === 0 || m === 0) return 0;
  if ((x > 0 && m < 0) || (x < 0 && m > 0)) return numError('Number and multiple have different signs.');
  return multiple(x, m, roundHalfAway);
}

const FloorCeilingPlugin = numericPlugin('FloorCeilingPlugin', {
  FLOOR: { fn: floor, required: 2 },
  CEILING: { fn: ceiling, required: 2 },
  'FLOOR.MATH': { fn: floorMath, optional: 2 },
  'CEILING.MATH': { fn: ceilingMath, optional: 2 },
  'FLOOR.PRECISE': { fn: (x, s) => floorMath(x, s, 0), optional: 1 },
  'CEILING.PRECISE': { fn: (x, s) => ceilingMath(x, s, 0), optional: 1 },
  'ISO.CEILING': { fn: (x, s) => ceilingMath(x, s, 0), optional: 1 },
  MROUND: { fn: mround, required: 2, booleans: false },
});

export default { plugin: FloorCeilingPlugin };
