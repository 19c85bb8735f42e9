// DISC, INTRATE, RECEIVED, PRICEDISC, YIELDDISC, PRICEMAT, YIELDMAT (HyperFormula
// lacks them).
//
// Excel: with DSM the days from settlement to maturity and B the days in the year of
// the basis (actual/actual: 365 or 366, or the average year length when the span is
// longer than a year),
//   DISC = (red - pr)/red * B/DSM        INTRATE = (red - inv)/inv * B/DSM
//   RECEIVED = inv/(1 - disc*DSM/B)      PRICEDISC = red - disc*red*DSM/B
//   YIELDDISC = (red - pr)/pr * B/DSM
// PRICEMAT/YIELDMAT accrue interest from issue (DIM = issue to maturity, A = issue to
// settlement, DSM = DIM - A) as in Excel's documented formulas.
// #NUM!: settlement not before maturity, basis not 0-4, a price, redemption or
// investment not positive, a negative rate or yield; for *MAT, issue not before
// settlement.

import { FunctionPlugin } from 'hyperformula';

import { finite, num, OPTIONAL, SCALAR } from './lib/finance-args.mjs';
import { bondArgs } from './lib/finance-bonds.mjs';

const SIMPLE = ['date', 'date', 'number', 'number', 'basis'];
const MAT = ['date', 'date', 'date', 'number', 'number', 'basis'];

class DiscountPlugin extends FunctionPlugin {
  security(ast, state, id, kinds, fn) {
    return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
      const parsed = bondArgs(this, args, kinds);
      if (!parsed.values) return parsed;
      const [settlement, maturity] = parsed.values;
      if (settlement.s >= maturity.s) return num('settlement must be before maturity');
      return finite(fn(parsed.dc, ...parsed.values));
    });
  }

  /** DSM and B of settlement..maturity. */
  simple(ast, state, id, fn) {
    return this.security(ast, state, id, SIMPLE, (dc, settlement, maturity, a, b) => fn(dc.days(settlement, maturity), dc.yearDays(settlement, maturity), a, b));
  }

  disc(ast, state) {
    return this.simple(ast, state, 'DISC', (dsm, year, pr, redemption) => {
      if (pr <= 0 || redemption <= 0) return num('price and redemption must be positive');
      return ((1 - pr / redemption) * year) / dsm;
    });
  }

  intrate(ast, state) {
    return this.simple(ast, state, 'INTRATE', (dsm, year, investment, redemption) => {
      if (investment <= 0 || redemption <= 0) return num('investment and redemption must be positive');
      return (((redemption - investment) / investment) * year) / dsm;
    });
  }

  received(ast, state) {
    return this.simple(ast, state, 'RECEIVED', (dsm, year, investment, discount) => {
      if (investment <= 0 || discount <= 0) return num('investment and discount must be positive');
      const factor = 1 - (discount * dsm) / year;
      return factor <= 0 ? num('discount too large for the term') : investment / factor;
    });
  }

  pricedisc(ast, state) {
    return this.simple(ast, state, 'PRICEDISC', (dsm, year, discount, redemption) => {
      if (discount <= 0 || redemption <= 0) return num('discount and redemption must be positive');
      return redemption - (discount * redemption * dsm) / year;
    });
  }

  yielddisc(ast, state) {
    return this.simple(ast, state, 'YIELDDISC', (dsm, year, pr, redemption) => {
      if (pr <= 0 || redemption <= 0) return num('price and redemption must be positive');
      return (((redemption - pr) / pr) * year) / dsm;
    });
  }

  /** B, DIM, A, DSM of a security paying interest at maturity. */
  atMaturity(ast, state, id, fn) {
    return this.security(ast, state, id, MAT, (dc, settlement, maturity, issue, rate, x) => {
      if (issue.s >= settlement.s) return num('issue must be before settlement');
      const year = dc.yearDays(issue, settlement);
      const dim = dc.days(issue, maturity);
      const a = dc.days(issue, settlement);
      return fn(year, dim, a, dim - a, rate, x);
    });
  }

  pricemat(ast, state) {
    return this.atMaturity(ast, state, 'PRICEMAT', (year, dim, a, dsm, rate, yld) => {
      if (rate < 0 || yld < 0) return num('rate and yield must not be negative');
      return (100 + (dim / year) * rate * 100) / (1 + (dsm / year) * yld) - (a / year) * rate * 100;
    });
  }

  yieldmat(ast, state) {
    return this.atMaturity(ast, state, 'YIELDMAT', (year, dim, a, dsm, rate, pr) => {
      if (rate < 0 || pr <= 0) return num('rate must not be negative and price must be positive');
      const paid = pr / 100 + (a / year) * rate;
      return (((dim / year) * rate + 1 - paid) / paid) * (year / dsm);
    });
  }
}

const FIVE = [SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL];
const SIX = [SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL];
DiscountPlugin.implementedFunctions = {
  DISC: { method: 'disc', parameters: FIVE },
  INTRATE: { method: 'intrate', parameters: FIVE },
  RECEIVED: { method: 'received', parameters: FIVE },
  PRICEDISC: { method: 'pricedisc', parameters: FIVE },
  YIELDDISC: { method: 'yielddisc', parameters: FIVE },
  PRICEMAT: { method: 'pricemat', parameters: SIX },
  YIELDMAT: { method: 'yieldmat', parameters: SIX },
};

export default { plugin: DiscountPlugin };
