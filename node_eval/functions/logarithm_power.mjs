// LN, LOG, LOG10, EXP, POWER, SQRT, SQRTPI as Excel computes them.
//
// Replaces HyperFormula's built-ins, which differ from Excel in:
// - LOG(x, 1) is #DIV/0! in Excel (HyperFormula #NUM!); LOG(x, b) is
//   LN(x)/LN(b) (LOG(10, 1000) = 0.33333333333333337, as Excel);
// - POWER(0, 0) is #NUM! and POWER(0, negative) #DIV/0!; a negative base with
//   the reciprocal of an odd integer as exponent is a real root, as in Excel:
//   POWER(-8, 1/3) = -2; other fractional exponents of a negative base #NUM!;
// - SQRTPI used HyperFormula's PI rounded to 14 decimals;
// - EXP of a large argument is #NUM!, of a very negative one 0;
// - argument conversion: "" is #VALUE!, ISO date text is a date; SQRTPI (from
//   the Analysis ToolPak) refuses logical values.

import { CellError, ErrorType } from 'hyperformula';

import { numError } from './lib/math-coerce.mjs';
import { numericPlugin } from './lib/math-plugin.mjs';
import { round15 } from './lib/math-round.mjs';

const notPositive = () => numError('The argument must be positive.');

function log(x, base = 10) {
  if (x <= 0 || base <= 0) return notPositive();
  if (base === 1) return new CellError(ErrorType.DIV_BY_ZERO, 'The base must not be 1.');
  return base === 10 ? Math.log10(x) : Math.log(x) / Math.log(base);
}

function power(x, y) {
  if (x === 0) {
    if (y === 0) return numError('0^0 is undefined.');
    if (y < 0) return new CellError(ErrorType.DIV_BY_ZERO, 'Division by zero.');
    return 0;
  }
  if (x < 0 && !Number.isInteger(y)) {
    const root = round15(1 / y);
    if (Number.isInteger(root) && Math.abs(root % 2) === 1) return -Math.pow(-x, y);
    return numError('A negative number has no real root of this order.');
  }
  return Math.pow(x, y);
}

const LogarithmPowerPlugin = numericPlugin('LogarithmPowerPlugin', {
  LN: { fn: (x) => (x <= 0 ? notPositive() : Math.log(x)) },
  LOG10: { fn: (x) => (x <= 0 ? notPositive() : Math.log10(x)) },
  LOG: { fn: log, optional: 1 },
  EXP: { fn: Math.exp },
  POWER: { fn: power, required: 2 },
  SQRT: { fn: (x) => (x < 0 ? numError('The argument must not be negative.') : Math.sqrt(x)) },
  SQRTPI: {
    fn: (x) => (x < 0 ? numError('The argument must not be negative.') : Math.sqrt(x * Math.PI)),
    booleans: false,
  },
});

export default { plugin: LogarithmPowerPlugin };
