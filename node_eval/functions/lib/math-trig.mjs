// Excel's circular functions: sine and cosine with Excel's argument reduction.
//
// Excel reduces an angle by multiples of pi/2 taken as fl(pi/2) +
// 6.1257422745431E-17, slightly off the true remainder of pi/2
// (6.123233995736766E-17). That is why COS(PI()/2) is 6.1257422745431E-17 in
// Excel, SIN(PI()) 1.22514845490862E-16 and TAN(PI()/2) 1.6324552277619072E16
// (measured; JavaScript gives 6.123233995736766E-17 and 1.633123935319537E16).
// The reduction here is exact (Dekker's product), so only that constant differs.
// Excel refuses angles of magnitude 2^27 or more (#NUM!).

const HALF_PI_HIGH = Math.PI / 2;
const HALF_PI_LOW = 6.1257422745431e-17;
export const MAX_ANGLE = 2 ** 27;

/** Veltkamp split of a double into two 26-bit halves. */
function split(a) {
  const c = 134217729 * a;
  const high = c - (c - a);
  return [high, a - high];
}

/** a*b as an unevaluated sum p + e, exactly (Dekker). */
function twoProduct(a, b) {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** [quadrant 0..3, remainder in about [-pi/4, pi/4]] of x. */
function reduce(x) {
  const k = Math.round(x / HALF_PI_HIGH);
  const [high, low] = twoProduct(k, HALF_PI_HIGH);
  return [((k % 4) + 4) % 4, x - high - low - k * HALF_PI_LOW];
}

/** [sin x, cos x] as Excel computes them. */
export function sinCos(x) {
  const [quadrant, r] = reduce(x);
  const s = Math.sin(r);
  const c = Math.cos(r);
  return [
    [s, c],
    [c, -s],
    [-s, -c],
    [-c, s],
  ][quadrant];
}
