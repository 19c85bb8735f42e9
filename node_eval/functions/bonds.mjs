// PRICE, YIELD, DURATION, MDURATION (HyperFormula lacks them).
//
// Excel (per 100 face value, coupons counted back from maturity as for COUPNUM):
// with N coupons left, E the coupon period's days (COUPDAYS), A the days from the
// previous coupon to settlement (COUPDAYBS) and DSC = E - A,
//   PRICE = red/(1+y/f)^(N-1+DSC/E) + sum_k 100r/f/(1+y/f)^(k-1+DSC/E) - 100r/f*A/E,
// and for N = 1 the simple-interest form (red + 100r/f)/(1 + DSC/E*y/f) - 100r/f*A/E.
// YIELD inverts PRICE (closed form for N = 1, else solved numerically); DURATION is
// Macaulay's duration in years on the same schedule, MDURATION = DURATION/(1+y/f).
// #NUM!: settlement not before maturity, frequency not 1/2/4, basis not 0-4, a
// negative rate or yield, a price or redemption not positive.

import { FunctionPlugin } from 'hyperformula';

import { finite, num, OPTIONAL, SCALAR } from './lib/finance-args.mjs';
import { bondArgs } from './lib/finance-bonds.mjs';
import { couponCount, couponDates } from './lib/finance-daycount.mjs';
import { solve } from './lib/finance-solve.mjs';

/** N, A, E, DSC of a bond at settlement. */
function factors(ds, dc, settlement, maturity, freq) {
  const n = couponCount(ds, settlement, maturity, freq);
  const [pcd] = couponDates(ds, settlement, maturity, freq);
  const a = dc.days(pcd, settlement);
  const e = dc.coupDays(settlement, maturity, freq);
  return { n, a, e, dsc: e - a };
}

function price({ n, a, e, dsc }, rate, yld, redemption, freq) {
  const coupon = (100 * rate) / freq;
  const accrued = (coupon * a) / e;
  if (n === 1) return (redemption + coupon) / (1 + ((dsc / e) * yld) / freq) - accrued;
  const base = 1 + yld / freq;
  let pv = redemption / base ** (n - 1 + dsc / e);
  for (let k = 1; k <= n; k++) pv += coupon / base ** (k - 1 + dsc / e);
  return pv - accrued;
}

class BondsPlugin extends FunctionPlugin {
  bond(ast, state, id, fn) {
    return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
      const parsed = bondArgs(this, args, id === 'PRICE' || id === 'YIELD' ? ['date', 'date', 'number', 'number', 'number', 'freq', 'basis'] : ['date', 'date', 'number', 'number', 'freq', 'basis']);
      if (!parsed.values) return parsed;
      const [settlement, maturity] = parsed.values;
      if (settlement.s >= maturity.s) return num('settlement must be before maturity');
      return finite(fn(parsed, ...parsed.values));
    });
  }

  price(ast, state) {
    return this.bond(ast, state, 'PRICE', ({ ds, dc }, settlement, maturity, rate, yld, redemption, freq) => {
      if (rate < 0 || yld < 0) return num('rate and yield must not be negative');
      if (redemption <= 0) return num('redemption must be positive');
      return price(factors(ds, dc, settlement, maturity, freq), rate, yld, redemption, freq);
    });
  }

  yield(ast, state) {
    return this.bond(ast, state, 'YIELD', ({ ds, dc }, settlement, maturity, rate, pr, redemption, freq) => {
      if (rate < 0) return num('rate must not be negative');
      if (pr <= 0 || redemption <= 0) return num('price and redemption must be positive');
      const fx = factors(ds, dc, settlement, maturity, freq);
      if (fx.n <= 1) {
        const coupon = rate / freq;
        const paid = pr / 100 + (fx.a / fx.e) * coupon;
        return ((redemption / 100 + coupon - paid) / paid) * ((freq * fx.e) / fx.dsc);
      }
      const y = solve((v) => price(fx, rate, v, redemption, freq) - pr, 0.05, { lo: -freq });
      return y === undefined ? num('YIELD did not converge') : y;
    });
  }

  duration(ast, state, modified = false) {
    return this.bond(ast, state, modified ? 'MDURATION' : 'DURATION', ({ ds, dc }, settlement, maturity, coupon, yld, freq) => {
      if (coupon < 0 || yld < 0) return num('coupon and yield must not be negative');
      const { n, a, e } = factors(ds, dc, settlement, maturity, freq);
      const x1 = (e - a) / e;
      const base = yld / freq + 1;
      const last = x1 + n - 1;
      let weighted = (last * 100) / base ** last;
      let total = 100 / base ** last;
      for (let k = 1; k <= n; k++) {
        const t = k - 1 + x1;
        const cf = (100 * coupon) / freq / base ** t;
        weighted += cf * t;
        total += cf;
      }
      const years = weighted / total / freq;
      return modified ? years / base : years;
    });
  }

  mduration(ast, state) {
    return this.duration(ast, state, true);
  }
}

const PRICE_PARAMS = [SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL];
const DURATION_PARAMS = [SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL];
BondsPlugin.implementedFunctions = {
  PRICE: { method: 'price', parameters: PRICE_PARAMS },
  YIELD: { method: 'yield', parameters: PRICE_PARAMS },
  DURATION: { method: 'duration', parameters: DURATION_PARAMS },
  MDURATION: { method: 'mduration', parameters: DURATION_PARAMS },
};

export default { plugin: BondsPlugin };
