// Excel's decimal rounding for the math family.
//
// Excel works on the 15-significant-digit value of a number when it rounds:
// ROUND(298.9*1.05, 2) is 313.85 because 298.9*1.05 (binary 313.844999...)
// is 313.845000000000 to 15 digits. FLOOR(7.1, 0.1) is 7.1 because the
// quotient 70.99999999999999 is 71 to 15 digits. These helpers do the same.

/** `x` rounded to 15 significant digits (what Excel shows and rounds). */
export function round15(x) {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(15));
}

/**
 * `x` rounded to `digits` decimal places (negative: to tens, hundreds, ...),
 * working on its 15-significant-digit decimal value, exactly in decimal.
 * mode 'half': half away from zero (ROUND); 'up': away from zero (ROUNDUP);
 * 'down': toward zero (ROUNDDOWN, TRUNC). `digits` must be an integer.
 */
export function roundDecimal(x, digits, mode) {
  if (x === 0 || !Number.isFinite(x)) return x;
  const sign = x < 0 ? -1 : 1;
  // 15 significant digits: d.dddddddddddddde±E, the value is D * 10^(E-14).
  const [mantissa, exponentText] = Math.abs(x).toExponential(14).split('e');
  const all = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const keep = exponent + 1 + digits; // how many of the 15 digits stay
  if (keep >= 15) return x; // nothing to drop
  let kept;
  let dropped;
  if (keep <= 0) {
    kept = 0n;
    dropped = keep === 0 ? all : '0' + all; // only the first dropped digit matters for 'half'
  } else {
    kept = BigInt(all.slice(0, keep));
    dropped = all.slice(keep);
  }
  const nonzero = /[1-9]/.test(dropped);
  if ((mode === 'half' && dropped[0] >= '5') || (mode === 'up' && nonzero)) kept += 1n;
  const result = sign * Number(`${kept}e${-digits}`);
  return result === 0 ? 0 : result;
}
