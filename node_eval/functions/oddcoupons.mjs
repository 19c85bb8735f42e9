// ODDFPRICE, ODDFYIELD, ODDLPRICE, ODDLYIELD (HyperFormula lacks them).
//
// Excel prices a bond whose first (ODDF*) or last (ODDL*) coupon period is odd by
// splitting the odd period into quasi-coupon periods of 12/frequency months and
// accruing each by the basis' day count (Excel's documented formulas; 30/360 period
// lengths use the US rule that moves both month ends). A short odd first period is
// discounted as a fraction of one period, a long one over its quasi-coupon periods.
// The yields invert the prices: ODDLYIELD in closed form, ODDFYIELD numerically.
// #NUM!: dates out of order (maturity > first coupon > settlement > issue, or
// maturity > settlement > last coupon), a first coupon off maturity's schedule,
// frequency not 1/2/4, basis not 0-4, a negative rate or yield, a price not positive.

import { FunctionPlugin } from 'hyperformula';

import { finite, num, OPTIONAL, SCALAR } from './lib/finance-args.mjs';
import { bondArgs } from './lib/finance-bonds.mjs';
import { changeMonth, couponCount, couponDates, diff360Us, walk } from './lib/finance-daycount.mjs';
import { solve } from './lib/finance-solve.mjs';

const later = (a, b) => (a.s > b.s ? a : b);
const earlier = (a, b) => (a.s < b.s ? a : b);

/** Quasi-coupon periods from settlement to `first` (whole ones; Excel's count). */
function quasiCoupons(ds, first, settlement, months) {
  const eomFirst = ds.isLastDayOfMonth(first);
  const eom = !eomFirst && first.m !== 2 && first.d > 28 && first.d < ds.daysInMonth(first.y, first.m) ? ds.isLastDayOfMonth(settlement) : eomFirst;
  const start = changeMonth(ds, settlement, 0, eom);
  const coupons = settlement.s < start.s ? 1 : 0;
  const from = changeMonth(ds, start, months, eom);
  return walk(ds, from, first, months, eom, () => 1, coupons)[2];
}

function oddFPrice(ds, dc, basis, settlement, maturity, issue, first, rate, yld, redemption, freq) {
  const months = 12 / freq;
  const days = (a, b) => Math.max(dc.days(a, b), 0);
  const e = dc.coupDays(settlement, first, freq);
  const dfc = days(issue, first);
  const x = yld / freq + 1;
  const coupon = (100 * rate) / freq;
  if (dfc < e) {
    const n = couponCount(ds, settlement, maturity, freq);
    const y = days(settlement, first) / e;
    const a = days(issue, settlement);
    let pv = redemption / x ** (n - 1 + y) + (coupon * dfc) / e / x ** y;
    for (let k = 2; k <= n; k++) pv += coupon / x ** (k - 1 + y);
    return pv - (a / e) * coupon;
  }
  const nc = couponCount(ds, issue, first, freq);
  let late = first;
  let dcnl = 0;
  let anl = 0;
  for (let index = nc; index >= 1; index--) {
    const early = changeMonth(ds, late, -months, false);
    const nl = basis === 1 ? days(early, late) : e;
    const dci = index > 1 ? nl : days(issue, late);
    const a = days(later(issue, early), earlier(settlement, late));
    late = early;
    dcnl += dci / nl;
    anl += a / nl;
  }
  let dsc;
  if (basis === 2 || basis === 3) {
    dsc = days(settlement, couponDates(ds, settlement, first, freq)[1]);
  } else {
    dsc = e - dc.days(couponDates(ds, settlement, first, freq)[0], settlement);
  }
  const nq = quasiCoupons(ds, first, settlement, months);
  const n = couponCount(ds, first, maturity, freq);
  const y = dsc / e;
  let pv = redemption / x ** (y + nq + n) + (coupon * dcnl) / x ** (nq + y);
  for (let k = 1; k <= n; k++) pv += coupon / x ** (k + nq + y);
  return pv - coupon * anl;
}

/** dcnl, anl, dscnl of an odd last period: its quasi-coupon periods' shares. */
function oddLastShares(ds, dc, basis, settlement, maturity, last, freq) {
  const months = 12 / freq;
  const days = (a, b) => Math.max(dc.days(a, b), 0);
  const periodDays = (a, b) => (basis === 0 ? Math.max(diff360Us(ds, a, b, true), 0) : days(a, b));
  const nc = couponCount(ds, last, maturity, freq);
  let early = last;
  let dcnl = 0;
  let anl = 0;
  let dscnl = 0;
  for (let index = 1; index <= nc; index++) {
    const late = changeMonth(ds, early, months, false);
    const nl = periodDays(early, late);
    const dci = index < nc ? nl : periodDays(early, maturity);
    let a = 0;
    if (late.s < settlement.s) a = dci;
    else if (early.s < settlement.s) a = days(early, settlement);
    const dsc = days(later(settlement, early), earlier(maturity, late));
    early = late;
    dcnl += dci / nl;
    anl += a / nl;
    dscnl += dsc / nl;
  }
  return { dcnl, anl, dscnl };
}

const ODDF_KINDS = ['date', 'date', 'date', 'date', 'number', 'number', 'number', 'freq', 'basis'];
const ODDL_KINDS = ['date', 'date', 'date', 'number', 'number', 'number', 'freq', 'basis'];

class OddCouponsPlugin extends FunctionPlugin {
  odd(ast, state, id, kinds, fn) {
    return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
      const parsed = bondArgs(this, args, kinds);
      if (!parsed.values) return parsed;
      return finite(fn(parsed, ...parsed.values));
    });
  }

  /** Date order and schedule checks of ODDFPRICE/ODDFYIELD; undefined when fine. */
  oddFirstError(ds, settlement, maturity, issue, first, freq, checkSchedule) {
    if (!(maturity.s > first.s && first.s > settlement.s && settlement.s > issue.s)) {
      return num('dates must be in order: maturity > first coupon > settlement > issue');
    }
    if (checkSchedule) {
      const months = 12 / freq;
      const eom = ds.isLastDayOfMonth(maturity);
      const [pcd] = walk(ds, changeMonth(ds, maturity, -months, eom), first, -months, eom);
      if (pcd.s !== first.s) return num("the first coupon is not on maturity's coupon schedule");
    }
    return undefined;
  }

  oddfprice(ast, state) {
    return this.odd(ast, state, 'ODDFPRICE', ODDF_KINDS, ({ ds, dc }, settlement, maturity, issue, first, rate, yld, redemption, freq, basis) => {
      const bad = this.oddFirstError(ds, settlement, maturity, issue, first, freq, true);
      if (bad) return bad;
      if (rate < 0 || yld < 0) return num('rate and yield must not be negative');
      if (redemption <= 0) return num('redemption must be positive');
      return oddFPrice(ds, dc, basis, settlement, maturity, issue, first, rate, yld, redemption, freq);
    });
  }

  oddfyield(ast, state) {
    return this.odd(ast, state, 'ODDFYIELD', ODDF_KINDS, ({ ds, dc }, settlement, maturity, issue, first, rate, pr, redemption, freq, basis) => {
      const bad = this.oddFirstError(ds, settlement, maturity, issue, first, freq, false);
      if (bad) return bad;
      if (rate < 0) return num('rate must not be negative');
      if (pr <= 0 || redemption <= 0) return num('price and redemption must be positive');
      const f = (y) => oddFPrice(ds, dc, basis, settlement, maturity, issue, first, rate, y, redemption, freq) - pr;
      const y = solve(f, rate > 0 ? rate : 0.05, { lo: -freq });
      return y === undefined ? num('ODDFYIELD did not converge') : y;
    });
  }

  oddLast(ast, state, id, fn) {
    return this.odd(ast, state, id, ODDL_KINDS, ({ ds, dc }, settlement, maturity, last, rate, value, redemption, freq, basis) => {
      if (!(maturity.s > settlement.s && settlement.s > last.s)) {
        return num('dates must be in order: maturity > settlement > last coupon');
      }
      if (rate < 0) return num('rate must not be negative');
      if (redemption <= 0) return num('redemption must be positive');
      const shares = oddLastShares(ds, dc, basis, settlement, maturity, last, freq);
      const x = (100 * rate) / freq;
      return fn(shares, x, value, redemption, freq);
    });
  }

  oddlprice(ast, state) {
    return this.oddLast(ast, state, 'ODDLPRICE', ({ dcnl, anl, dscnl }, x, yld, redemption, freq) => {
      if (yld < 0) return num('yield must not be negative');
      return (dcnl * x + redemption) / ((dscnl * yld) / freq + 1) - anl * x;
    });
  }

  oddlyield(ast, state) {
    return this.oddLast(ast, state, 'ODDLYIELD', ({ dcnl, anl, dscnl }, x, pr, redemption, freq) => {
      if (pr <= 0) return num('price must be positive');
      const paid = anl * x + pr;
      return ((dcnl * x + redemption - paid) / paid) * (freq / dscnl);
    });
  }
}

const ODDF_PARAMS = [SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL];
const ODDL_PARAMS = [SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL];
OddCouponsPlugin.implementedFunctions = {
  ODDFPRICE: { method: 'oddfprice', parameters: ODDF_PARAMS },
  ODDFYIELD: { method: 'oddfyield', parameters: ODDF_PARAMS },
  ODDLPRICE: { method: 'oddlprice', parameters: ODDL_PARAMS },
  ODDLYIELD: { method: 'oddlyield', parameters: ODDL_PARAMS },
};

export default { plugin: OddCouponsPlugin };
