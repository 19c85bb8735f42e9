// RATE as Excel computes it.
//
// Excel solves pv(1+r)^n + pmt(1+r*type)((1+r)^n - 1)/r + fv = 0 by Newton's method
// from the guess (default 10%) and documents that RATE gives #NUM! when successive
// results do not converge to within 0.0000001 after 20 iterations. Replaces
// HyperFormula's built-in, which stops once |f(r)| < 1e-7 (a loose rate when the
// amounts are small) and allows 50 iterations: here a run that converges within 20
// iterations is polished to full precision, any other is #NUM!. nper <= 0 is #NUM!, a
// guess <= -1 #VALUE!; type is "at the start" when not 0.

import { FunctionPlugin } from 'hyperformula';

import { num, numbers, OPTIONAL, SCALAR, value } from './lib/finance-args.mjs';

/** f(r) and f'(r) of the annuity equation. */
function annuity(r, nper, pmt, pv, fv, type) {
  if (Math.abs(r) < 1e-12) {
    // limits at r = 0 (first order)
    const f = pv + pmt * nper + fv + r * (pv * nper + pmt * (type * nper + (nper * (nper - 1)) / 2));
    const d = pv * nper + pmt * (type * nper + (nper * (nper - 1)) / 2);
    return [f, d];
  }
  const t = (1 + r) ** nper;
  const dt = nper * (1 + r) ** (nper - 1);
  const a = (t - 1) / r; // annuity factor
  const da = (dt * r - (t - 1)) / (r * r);
  const f = pv * t + pmt * (1 + r * type) * a + fv;
  const d = pv * dt + pmt * type * a + pmt * (1 + r * type) * da;
  return [f, d];
}

class RatePlugin extends FunctionPlugin {
  rate(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('RATE'), (...args) => {
      const values = numbers(this, args, { defaults: [0, 0, 0, 0, 0, 0.1] });
      if (!Array.isArray(values)) return values;
      const [nper, pmt, pv, fv, typeArg, guess] = values;
      const type = typeArg ? 1 : 0;
      if (nper <= 0) return num('RATE nper must be positive');
      if (guess <= -1) return value('RATE guess must be greater than -1');
      let r = guess;
      let converged = false;
      for (let i = 0; i < 20; i++) {
        const [f, d] = annuity(r, nper, pmt, pv, fv, type);
        if (!Number.isFinite(f) || !Number.isFinite(d) || d === 0) return num('RATE did not converge');
        const next = r - f / d;
        if (!(next > -1) || !Number.isFinite(next)) return num('RATE did not converge');
        const step = Math.abs(next - r);
        r = next;
        if (step < 1e-7) {
          converged = true;
          break;
        }
      }
      if (!converged) return num('RATE did not converge within 20 iterations');
      for (let i = 0; i < 10; i++) {
        const [f, d] = annuity(r, nper, pmt, pv, fv, type);
        if (f === 0 || d === 0 || !Number.isFinite(f / d)) break;
        const next = r - f / d;
        if (!(next > -1)) break;
        const step = Math.abs(next - r);
        r = next;
        if (step <= 1e-15 * Math.max(1, Math.abs(r))) break;
      }
      return r;
    });
  }
}

RatePlugin.implementedFunctions = {
  RATE: { method: 'rate', parameters: [SCALAR, SCALAR, SCALAR, OPTIONAL, OPTIONAL, OPTIONAL] },
};

export default { plugin: RatePlugin };
