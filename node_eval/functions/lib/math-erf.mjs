// The error function and its complement to about 1E-15 relative, for ERF,
// ERFC, ERF.PRECISE, ERFC.PRECISE.
//
// erf by the all-positive series erf(x) = 2/sqrt(pi) e^(-x^2) sum (2x^2)^n x /
// (1*3*...*(2n+1)) below 2; erfc by its continued fraction (modified Lentz)
// from 2 up, so tails such as ERFC(7) = 4.1838256077794166E-23 keep their
// precision instead of cancelling in 1 - erf(x).

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

function erfSeries(x) {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n += 1) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x >= 2: e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
function erfcFraction(x) {
  if (x > 27) return 0; // below the smallest double
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n += 1) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

export function erf(x) {
  if (x < 0) return -erf(-x);
  return x < 2 ? erfSeries(x) : 1 - erfcFraction(x);
}

export function erfc(x) {
  if (x < 0) return 2 - erfc(-x);
  return x < 2 ? 1 - erfSeries(x) : erfcFraction(x);
}
