// BESSELI, BESSELJ, BESSELK, BESSELY as Excel computes them, with Excel's own
// approximations (lib/math-bessel.mjs): HyperFormula's implementations are
// more accurate than Excel's, so they differ from it (BESSELI(10, 0): Excel
// 2815.7166648041534, HyperFormula 2815.71662...; BESSELJ(0, 0): Excel
// 1.00000000283141). As Analysis ToolPak functions they refuse logical values
// (#VALUE!). The order n is truncated and must be >= 0 (#NUM!); BESSELK and
// BESSELY need x > 0 (#NUM!); an overflow is #NUM!.

import { numError } from './lib/math-coerce.mjs';
import { inn, jn, kn, yn } from './lib/math-bessel.mjs';
import { numericPlugin } from './lib/math-plugin.mjs';

/** A Bessel function of (x, n); `positive` when x must be > 0. */
function bessel(compute, positive) {
  return {
    fn(x, order) {
      const n = Math.trunc(order);
      if (n < 0) return numError('The order must not be negative.');
      if (positive && x <= 0) return numError('x must be positive.');
      return compute(n, x);
    },
    required: 2,
    booleans: false,
  };
}

const BesselPlugin = numericPlugin('BesselPlugin', {
  BESSELI: bessel(inn, false),
  BESSELJ: bessel(jn, false),
  BESSELK: bessel(kn, true),
  BESSELY: bessel(yn, true),
});

export default { plugin: BesselPlugin };
