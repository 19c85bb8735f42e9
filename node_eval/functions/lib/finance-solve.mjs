// Root finding for the finance functions whose Excel definition is an equation
// (YIELD, ODDFYIELD, ...): Newton's method from a guess, then, if that fails or
// leaves the domain, a bracketing search with bisection/secant steps (Brent-style).

/**
 * A root of f near `guess` within (lo, hi), or undefined. Newton uses `df` when given,
 * else a central difference. Converges to |step| < tol (relative to max(1, |x|)).
 */
export function solve(f, guess, { df, lo = -1, hi = 1e10, tol = 1e-13, maxIter = 100 } = {}) {
  const fx0 = f(guess);
  if (fx0 === 0) return guess;
  let x = guess;
  for (let i = 0; i < maxIter; i++) {
    const fx = f(x);
    if (!Number.isFinite(fx)) break;
    if (fx === 0) return x;
    const h = 1e-6 * Math.max(1, Math.abs(x));
    const d = df ? df(x) : (f(x + h) - f(x - h)) / (2 * h);
    if (!Number.isFinite(d) || d === 0) break;
    const next = x - fx / d;
    if (!(next > lo && next < hi)) break;
    if (Math.abs(next - x) <= tol * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return bracketRoot(f, guess, lo, hi, tol);
}

/** Expand an interval around the guess until f changes sign, then Brent's method. */
function bracketRoot(f, guess, lo, hi, tol) {
  const eps = 1e-10;
  const clamp = (v) => Math.min(hi - eps * Math.max(1, Math.abs(hi)), Math.max(lo + eps, v));
  let a = clamp(guess - 0.01);
  let b = clamp(guess + 0.01);
  let fa = f(a);
  let fb = f(b);
  for (let i = 0; i < 200 && !(fa * fb <= 0); i++) {
    const width = b - a;
    a = clamp(a - 1.6 * width);
    b = clamp(b + 1.6 * width);
    fa = f(a);
    fb = f(b);
    if (!Number.isFinite(fa) || !Number.isFinite(fb)) return undefined;
  }
  if (!(fa * fb <= 0)) return undefined;
  return brent(f, a, b, fa, fb, tol);
}

/** Brent's method on a bracket [a, b] with f(a) f(b) <= 0. */
export function brent(f, a, b, fa = f(a), fb = f(b), tol = 1e-13) {
  if (fa === 0) return a;
  if (fb === 0) return b;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < 300; i++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p;
      let q;
      if (a === c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      p = Math.abs(p);
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : Math.sign(xm) * tol1;
    fb = f(b);
    if (!Number.isFinite(fb)) return undefined;
  }
  return b;
}
