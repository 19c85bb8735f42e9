// ACCRINT and ACCRINTM (HyperFormula lacks them).
//
// ACCRINTM = par * rate * (days from issue to settlement) / (days in year), by basis.
// ACCRINT sums, over the coupon periods from issue (counted back from first_interest
// in steps of 12/frequency months), the fraction of each period accrued, times
// par * rate / frequency. Excel's periods: the first term runs from the later of issue
// and the previous coupon date to settlement (negative when settlement is before
// that date); each whole period before it counts 1 when calc_method is TRUE (the
// default) and 0 when FALSE, the period holding the issue date its accrued fraction.
// Basis 0 counts whole periods with the 30/360 rule moving both month ends.
// #NUM!: settlement not after issue, rate or par not positive, frequency not 1/2/4,
// basis not 0-4. calc_method is read as a logical (numbers: non-zero is TRUE).

import { CellError, EmptyValue, FunctionPlugin } from 'hyperformula';

import { finite, num, OPTIONAL, SCALAR, value } from './lib/finance-args.mjs';
import { bondArgs } from './lib/finance-bonds.mjs';
import { changeMonth, diff360Us, walk } from './lib/finance-daycount.mjs';

function accrint(ds, dc, basis, issue, first, settlement, rate, par, freq, fromIssue) {
  const months = 12 / freq;
  const eom = ds.isLastDayOfMonth(first);
  const pcd = settlement.s > first.s && fromIssue ? walk(ds, first, settlement, months, eom)[0] : changeMonth(ds, first, -months, eom);
  const start = issue.s > pcd.s ? issue : pcd;
  const days = dc.days(start, settlement);
  const coupDays = dc.coupDays(pcd, first, freq);
  const period = (earlier, later) => {
    if (issue.s <= earlier.s) return fromIssue ? 1 : 0;
    const from = issue.s > earlier.s ? issue : earlier;
    if (basis === 0) return diff360Us(ds, from, later, !(issue.s > earlier.s)) / diff360Us(ds, earlier, later, true);
    const length = basis === 3 ? 365 / freq : dc.periodDays(earlier, later);
    return dc.days(from, later) / length;
  };
  const total = walk(ds, pcd, issue, -months, eom, period, days / coupDays)[2];
  return ((par * rate) / freq) * total;
}

class AccrintPlugin extends FunctionPlugin {
  accrint(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ACCRINT'), (...args) => {
      const method = args[7];
      const parsed = bondArgs(this, args.slice(0, 7), ['date', 'date', 'date', 'number', 'number', 'freq', 'basis']);
      if (!parsed.values) return parsed;
      let fromIssue = true;
      if (method instanceof CellError) return method;
      if (typeof method === 'boolean') fromIssue = method;
      else if (typeof method === 'number') fromIssue = method !== 0;
      else if (method !== undefined && method !== EmptyValue) {
        const text = String(method).toUpperCase();
        if (text !== 'TRUE' && text !== 'FALSE') return value('calc_method must be a logical value');
        fromIssue = text === 'TRUE';
      }
      const { ds, dc, values } = parsed;
      const [issue, first, settlement, rate, par, freq, basis] = values;
      if (settlement.s <= issue.s) return num('settlement must be after issue');
      if (rate <= 0 || par <= 0) return num('rate and par must be positive');
      return finite(accrint(ds, dc, basis, issue, first, settlement, rate, par, freq, fromIssue));
    });
  }

  accrintm(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ACCRINTM'), (...args) => {
      const parsed = bondArgs(this, args, ['date', 'date', 'number', 'number', 'basis']);
      if (!parsed.values) return parsed;
      const [issue, settlement, rate, par] = parsed.values;
      if (settlement.s <= issue.s) return num('settlement must be after issue');
      if (rate <= 0 || par <= 0) return num('rate and par must be positive');
      return finite((par * rate * parsed.dc.days(issue, settlement)) / parsed.dc.yearDays(issue, settlement));
    });
  }
}

AccrintPlugin.implementedFunctions = {
  ACCRINT: { method: 'accrint', parameters: [SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL, OPTIONAL] },
  ACCRINTM: { method: 'accrintm', parameters: [SCALAR, SCALAR, SCALAR, SCALAR, OPTIONAL] },
};

export default { plugin: AccrintPlugin };
