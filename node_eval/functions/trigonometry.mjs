// The trigonometric and hyperbolic functions as Excel computes them: SIN, COS,
// TAN, COT, CSC, SEC, ASIN, ACOS, ATAN, ATAN2, ACOT, SINH, COSH, TANH, COTH,
// CSCH, SECH, ASINH, ACOSH, ATANH, ACOTH, DEGREES, RADIANS, PI.
//
// Replaces HyperFormula's built-ins, which differ from Excel in:
// - PI() is the double nearest pi in Excel (3.141592653589793); HyperFormula's
//   is 3.14159265358979, so TAN(PI()/2) was 6.19E14 instead of 1.63E16;
// - SIN, COS, TAN, COT, CSC, SEC use Excel's argument reduction (lib/math-trig.mjs):
//   TAN(PI()/2) is 1.6324552277619072E16 in Excel, 1.633123935319537E16 in
//   JavaScript; angles of magnitude 2^27 or more are #NUM!;
// - ACOT returns a value in (0, pi) as Excel does (PI()/2 - ATAN(x)); HyperFormula
//   gave ATAN(1/x), negative for negative x;
// - argument conversion: "" is #VALUE!, ISO date text is a date.
// ATAN2(x, y) is the angle of the point (x, y); #DIV/0! when both are 0.

import { CellError, ErrorType } from 'hyperformula';

import { numError } from './lib/math-coerce.mjs';
import { numericPlugin } from './lib/math-plugin.mjs';
import { MAX_ANGLE, sinCos } from './lib/math-trig.mjs';

const divideByZero = () => new CellError(ErrorType.DIV_BY_ZERO, 'Division by zero.');
const tooLarge = () => numError('The angle must be less than 2^27 in magnitude.');

/** fn(x) for |x| < 2^27, else #NUM! (Excel's limit for the circular functions). */
const limited = (fn) => (x) => (Math.abs(x) >= MAX_ANGLE ? tooLarge() : fn(x));

/** 1/value, #DIV/0! for 0. */
const reciprocal = (value) => (value === 0 ? divideByZero() : 1 / value);

/** fn(x) for x in [low, high], else #NUM!. */
const domain = (low, high, fn) => (x) => (x < low || x > high ? numError('Argument out of range.') : fn(x));

const TrigonometryPlugin = numericPlugin('TrigonometryPlugin', {
  SIN: { fn: limited((x) => sinCos(x)[0]) },
  COS: { fn: limited((x) => sinCos(x)[1]) },
  TAN: {
    fn: limited((x) => {
      const [s, c] = sinCos(x);
      return s / c;
    }),
  },
  COT: {
    fn: limited((x) => {
      if (x === 0) return divideByZero();
      const [s, c] = sinCos(x);
      return 1 / (s / c);
    }),
  },
  CSC: { fn: limited((x) => (x === 0 ? divideByZero() : 1 / sinCos(x)[0])) },
  SEC: { fn: limited((x) => 1 / sinCos(x)[1]) },
  ASIN: { fn: domain(-1, 1, Math.asin) },
  ACOS: { fn: domain(-1, 1, Math.acos) },
  ATAN: { fn: Math.atan },
  ATAN2: { fn: (x, y) => (x === 0 && y === 0 ? divideByZero() : Math.atan2(y, x)), required: 2 },
  ACOT: { fn: (x) => Math.PI / 2 - Math.atan(x) },
  SINH: { fn: Math.sinh },
  COSH: { fn: Math.cosh },
  TANH: { fn: Math.tanh },
  COTH: { fn: (x) => reciprocal(Math.tanh(x)) },
  CSCH: { fn: (x) => reciprocal(Math.sinh(x)) },
  SECH: { fn: (x) => 1 / Math.cosh(x) },
  ASINH: { fn: Math.asinh },
  ACOSH: { fn: domain(1, Infinity, Math.acosh) },
  ATANH: { fn: (x) => (Math.abs(x) >= 1 ? numError('Argument out of range.') : Math.atanh(x)) },
  ACOTH: { fn: (x) => (Math.abs(x) <= 1 ? numError('Argument out of range.') : Math.atanh(1 / x)) },
  PI: { fn: () => Math.PI, required: 0 },
  DEGREES: { fn: (x) => (x * 180) / Math.PI },
  RADIANS: { fn: (x) => (x * Math.PI) / 180 },
});

export default { plugin: TrigonometryPlugin };
