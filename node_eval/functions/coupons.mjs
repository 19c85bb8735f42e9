// COUPDAYBS, COUPDAYS, COUPDAYSNC, COUPNCD, COUPNUM, COUPPCD (HyperFormula lacks them).
//
// Excel: coupon dates are counted back from maturity in steps of 12/frequency months
// (keeping maturity's day, clamped to shorter months; every coupon falls on a month's
// last day when maturity does). Settlement must be before maturity, frequency 1, 2 or 4
// and basis 0-4, else #NUM!. Day counts by basis: 0 US 30/360 (COUPDAYSNC is the whole
// 30/360 period minus COUPDAYBS), 1 actual/actual, 2 actual/360, 3 actual/365 (the
// period is 365/frequency), 4 European 30/360.

import { FunctionPlugin } from 'hyperformula';

import { num, OPTIONAL, SCALAR } from './lib/finance-args.mjs';
import { bondArgs } from './lib/finance-bonds.mjs';
import { couponCount, couponDates } from './lib/finance-daycount.mjs';

class CouponsPlugin extends FunctionPlugin {
  coupon(ast, state, id, fn) {
    return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
      const parsed = bondArgs(this, args, ['date', 'date', 'freq', 'basis']);
      if (!parsed.values) return parsed;
      const [settlement, maturity, freq] = parsed.values;
      if (settlement.s >= maturity.s) return num('settlement must be before maturity');
      return fn(parsed, settlement, maturity, freq);
    });
  }

  coupdaybs(ast, state) {
    return this.coupon(ast, state, 'COUPDAYBS', ({ dc }, s, m, f) => dc.coupDaysBS(s, m, f));
  }

  coupdays(ast, state) {
    return this.coupon(ast, state, 'COUPDAYS', ({ dc }, s, m, f) => dc.coupDays(s, m, f));
  }

  coupdaysnc(ast, state) {
    return this.coupon(ast, state, 'COUPDAYSNC', ({ dc }, s, m, f) => dc.coupDaysNC(s, m, f));
  }

  coupncd(ast, state) {
    return this.coupon(ast, state, 'COUPNCD', ({ ds }, s, m, f) => couponDates(ds, s, m, f)[1].s);
  }

  couppcd(ast, state) {
    return this.coupon(ast, state, 'COUPPCD', ({ ds }, s, m, f) => couponDates(ds, s, m, f)[0].s);
  }

  coupnum(ast, state) {
    return this.coupon(ast, state, 'COUPNUM', ({ ds }, s, m, f) => couponCount(ds, s, m, f));
  }
}

const PARAMS = [SCALAR, SCALAR, SCALAR, OPTIONAL];
CouponsPlugin.implementedFunctions = {
  COUPDAYBS: { method: 'coupdaybs', parameters: PARAMS },
  COUPDAYS: { method: 'coupdays', parameters: PARAMS },
  COUPDAYSNC: { method: 'coupdaysnc', parameters: PARAMS },
  COUPNCD: { method: 'coupncd', parameters: PARAMS },
  COUPNUM: { method: 'coupnum', parameters: PARAMS },
  COUPPCD: { method: 'couppcd', parameters: PARAMS },
};

export default { plugin: CouponsPlugin };
