// BITAND, BITOR, BITXOR, BITLSHIFT, BITRSHIFT as Excel computes them.
//
// Replaces HyperFormula's built-ins, which differ from Excel in: numbers up to
// 2^48 - 1 (HyperFormula wrapped 2^48 - 1 through 32-bit integers: BITOR gave
// -1), #NUM! for 2^48 and above, and a fractional shift is truncated
// (BITLSHIFT(12, 34.67) is 206158430208 in Excel, HyperFormula #NUM!).
// Rules: numbers must be integers in 0..2^48-1 (else #NUM!); a shift of
// magnitude above 53 is #NUM!; a negative shift goes the other way; a result
// above 2^48 - 1 is #NUM!. Logical values count as 1 and 0.

import { numError } from './lib/math-coerce.mjs';
import { numericPlugin } from './lib/math-plugin.mjs';

const LIMIT = 2 ** 48;
const valid = (n) => Number.isInteger(n) && n >= 0 && n < LIMIT;
const outOfRange = () => numError('Bit functions take integers from 0 to 2^48-1.');

/** Combine two 48-bit numbers bit by bit, in two 24-bit halves (JavaScript bit operators are 32-bit). */
function bitwise(op) {
  return (a, b) => {
    if (!valid(a) || !valid(b)) return outOfRange();
    const half = 2 ** 24;
    const high = op(Math.floor(a / half), Math.floor(b / half));
    const low = op(a % half, b % half);
    return high * half + low;
  };
}

/** n shifted left by `shift` bits (right when negative). */
function shiftLeft(n, shiftArg) {
  const shift = Math.trunc(shiftArg);
  if (!valid(n) || Math.abs(shift) > 53) return outOfRange();
  const result = shift >= 0 ? n * 2 ** shift : Math.floor(n / 2 ** -shift);
  return result >= LIMIT ? outOfRange() : result;
}

const BitsPlugin = numericPlugin('BitsPlugin', {
  BITAND: { fn: bitwise((a, b) => a & b), required: 2 },
  BITOR: { fn: bitwise((a, b) => a | b), required: 2 },
  BITXOR: { fn: bitwise((a, b) => a ^ b), required: 2 },
  BITLSHIFT: { fn: shiftLeft, required: 2 },
  BITRSHIFT: { fn: (n, shift) => shiftLeft(n, -Math.trunc(shift)), required: 2 },
});

export default { plugin: BitsPlugin };
