// Shared by the stats family: special functions to double precision for Excel's
// distributions (HyperFormula's jStat ones are good to about 1e-9 only, e.g. GAMMA,
// T.INV, CONFIDENCE.T, and fail at extreme probabilities).
//
// lgamma: Lanczos (g = 607/128, 15 terms, Boost/Godfrey), relative error ~1e-15.
// Incomplete gamma: series below a + 1, Lentz continued fraction above (Numerical
// Recipes' scheme). Incomplete beta: Lentz continued fraction on the convergent side.
// Normal: Phi from the incomplete gamma (erfc(z) = Q(1/2, z^2)), its inverse from
// Acklam's approximation polished by Halley steps. Other inverses: safeguarded Newton
// on the CDF with bisection fallback.

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 1000;

const LANCZOS_G = 607 / 128;
const LANCZOS = [
  0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
  -0.49191381609762019978, 0.33994649984811888699e-4, 0.46523628927048575665e-4, -0.98374475304879564677e-4,
  0.15808870322491248884e-3, -0.21026444172410488319e-3, 0.2174396181152126432e-3, -0.16431810653676389022e-3,
  0.84418223983852743293e-4, -0.2619083840158140867e-4, 0.36899182659531622704e-5,
];
const LN_SQRT_2PI = 0.91893853320467274178;

/** ln |Gamma(x)|. */
export function lgamma(x) {
  if (x < 0.5) {
    // reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  if (x === 1 || x === 2) return 0;
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Gamma(x); NaN at 0 and the negative integers. */
export function gamma(x) {
  if (Number.isInteger(x)) {
    if (x <= 0) return NaN;
    if (x <= 171) {
      let f = 1;
      for (let i = 2; i < x; i++) f *= i;
      return f;
    }
    return Infinity;
  }
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  if (x > 171.7) return Infinity;
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  // sqrt(2 pi) t^(z + 1/2) e^-t a, split to avoid overflow of t^(z + 1/2)
  const half = Math.pow(t, (z + 0.5) / 2);
  return Math.sqrt(2 * Math.PI) * half * (half * Math.exp(-t)) * a;
}

const LN_2PI = 1.8378770664093454836;

/** ln(n!) - ln(sqrt(2 pi n) (n/e)^n), Stirling's error (Loader 2000, as in R's nmath). */
export function stirlerr(n) {
  if (n <= 15) {
    if (n === 0) return 0;
    return lgamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
  }
  const S0 = 1 / 12;
  const S1 = 1 / 360;
  const S2 = 1 / 1260;
  const S3 = 1 / 1680;
  const S4 = 1 / 1188;
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/** x ln(x / np) + np - x, without cancellation (Loader's bd0). */
export function bd0(x, np) {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let sum = (x - np) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const next = sum + ej / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / np) + np - x;
}

/** lambda^x e^-lambda / Gamma(x + 1) for real x >= 0, to full precision. */
export function dpoisRaw(x, lambda) {
  if (lambda === 0) return x === 0 ? 1 : 0;
  if (x === 0) return Math.exp(-lambda);
  if (x < 0) return 0;
  return Math.exp(-stirlerr(x) - bd0(x, lambda)) / Math.sqrt(2 * Math.PI * x);
}

/** C(n, x) p^x q^(n - x), q = 1 - p given separately, real n >= x >= 0 (Loader). */
export function dbinomRaw(x, n, p, q) {
  if (p === 0) return x === 0 ? 1 : 0;
  if (q === 0) return x === n ? 1 : 0;
  if (x === 0) {
    if (n === 0) return 1;
    return Math.exp(p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q));
  }
  if (x === n) return Math.exp(q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p));
  if (x < 0 || x > n) return 0;
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  const lf = LN_2PI + Math.log(x) + Math.log1p(-x / n);
  return Math.exp(lc - 0.5 * lf);
}

/** ln of the binomial coefficient C(n, k) for real n >= k >= 0. */
export function lchoose(n, k) {
  return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

/** ln Beta(a, b). */
export function lbeta(a, b) {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** Regularized lower incomplete gamma P(a, x), a > 0, x >= 0. */
export function gammaP(a, x) {
  if (x <= 0) return 0;
  if (x < a + 1) return gammaSeries(a, x);
  return 1 - gammaContinued(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x). */
export function gammaQ(a, x) {
  if (x <= 0) return 1;
  if (x < a + 1) return 1 - gammaSeries(a, x);
  return gammaContinued(a, x);
}

/** x^a e^-x / Gamma(a); through dpoisRaw for a >= 1, which keeps precision for large a. */
function gammaPrefix(a, x) {
  if (a >= 1) return a * dpoisRaw(a, x);
  return Math.exp(a * Math.log(x) - x - lgamma(a));
}

function gammaSeries(a, x) {
  let ap = a;
  let term = 1 / a;
  let total = term;
  const limit = MAX_ITER + 20 * Math.sqrt(a);
  for (let n = 0; n < limit; n++) {
    ap += 1;
    term *= x / ap;
    total += term;
    if (Math.abs(term) < Math.abs(total) * EPS) break;
  }
  return total * gammaPrefix(a, x);
}

function gammaContinued(a, x) {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  const limit = MAX_ITER + 20 * Math.sqrt(a);
  for (let i = 1; i < limit; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return gammaPrefix(a, x) * h;
}

/** Regularized incomplete beta I_x(a, b), a, b > 0, 0 <= x <= 1. */
export function betaI(x, a, b) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - lbeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinued(x, a, b)) / a;
  return 1 - (front * betaContinued(1 - x, b, a)) / b;
}

/** 1 - I_x(a, b), accurate when it is small. */
export function betaIc(x, a, b) {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - lbeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return 1 - (front * betaContinued(x, a, b)) / a;
  return (front * betaContinued(1 - x, b, a)) / b;
}

function betaContinued(x, a, b) {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** erfc(x) for any x, relative precision in both tails. */
export function erfc(x) {
  if (x >= 0) return gammaQ(0.5, x * x);
  return 1 + gammaP(0.5, x * x);
}

export function erf(x) {
  return x >= 0 ? gammaP(0.5, x * x) : -gammaP(0.5, x * x);
}

/** Standard normal CDF. */
export function normCdf(z) {
  return z < 0 ? 0.5 * gammaQ(0.5, (z * z) / 2) : 1 - 0.5 * gammaQ(0.5, (z * z) / 2);
}

/** Standard normal upper tail 1 - Phi(z). */
export function normSf(z) {
  return normCdf(-z);
}

export function normPdf(z) {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

// Wichura's AS241 (PPND16), relative error about 1e-16 over (0, 1).
const AS241_A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const AS241_B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
];
const AS241_C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const AS241_D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const AS241_E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const AS241_F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

const poly = (c, x) => {
  let s = 0;
  for (let i = c.length - 1; i >= 0; i--) s = s * x + c[i];
  return s;
};

/** Inverse standard normal CDF for 0 < p < 1 (AS241). */
export function normInv(p) {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(AS241_A, r)) / poly(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x;
  if (r <= 5) {
    r -= 1.6;
    x = poly(AS241_C, r) / poly(AS241_D, r);
  } else {
    r -= 5;
    x = poly(AS241_E, r) / poly(AS241_F, r);
  }
  return q < 0 ? -x : x;
}

/**
 * The x with cdf(x) = p, for a continuous increasing cdf on (lo, hi) (hi may be
 * Infinity): Newton steps with the density when given, kept inside a bracket that
 * bisection narrows; to full double precision.
 */
export function invert(cdf, p, { lo = 0, hi = Infinity, guess, pdf } = {}) {
  let a = lo;
  let b = hi;
  if (!Number.isFinite(b)) {
    b = Math.max(1, guess ?? 1);
    while (cdf(b) < p) {
      a = b;
      b *= 2;
      if (b > 1e300) return Infinity;
    }
  }
  let x = guess !== undefined && guess > a && guess < b ? guess : (a + b) / 2;
  for (let i = 0; i < 400; i++) {
    const fx = cdf(x) - p;
    if (fx === 0) return x;
    if (fx < 0) a = x;
    else b = x;
    let next;
    if (pdf !== undefined) {
      const d = pdf(x);
      if (d > 0 && Number.isFinite(d)) next = x - fx / d;
    }
    if (next === undefined || !(next > a && next < b)) next = (a + b) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.abs(x) || b - a <= 1e-15 * Math.abs(a + b)) return next;
    x = next;
  }
  return x;
}
