// YEARFRAC as Excel computes it, for all five bases.
//
// Replaces HyperFormula's built-in for Excel's argument handling: the basis is read
// first (an error or text in it wins over a bad date: YEARFRAC(1/0, 200, "x") is
// #VALUE!), TRUE/FALSE are #VALUE! (an Analysis ToolPak function), a basis outside
// 0-4 or a date outside serial 0 .. 9999-12-31 is #NUM!, and Excel's 1900 calendar.
// Dates are truncated and swapped when the start is later. Basis 1 (actual/actual)
// divides by 365 or 366 within a year (366 when a 29 February is covered) and by the
// average length of the calendar years spanned otherwise.

import { FunctionPlugin } from 'hyperformula';

import { num, numbers, OPTIONAL, SCALAR } from './lib/finance-args.mjs';
import { dateSystemOf } from './lib/finance-dates.mjs';
import { dateOf, DayCount } from './lib/finance-daycount.mjs';

class YearFracPlugin extends FunctionPlugin {
  yearfrac(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('YEARFRAC'), (start, end, basisArg) => {
      const basisValue = numbers(this, [basisArg], { booleans: false, defaults: [0] });
      if (!Array.isArray(basisValue)) return basisValue;
      const basis = Math.trunc(basisValue[0]);
      if (!(basis >= 0 && basis <= 4)) return num('YEARFRAC basis must be 0 to 4');
      const dates = numbers(this, [start, end], { booleans: false });
      if (!Array.isArray(dates)) return dates;
      const ds = dateSystemOf(this.config);
      if (!dates.every((d) => ds.inRange(d))) return num('a date is not between 0 and 9999-12-31');
      let [a, b] = dates.map((d) => dateOf(ds, d));
      if (a.s > b.s) [a, b] = [b, a];
      return new DayCount(ds, basis).yearFrac(a, b);
    });
  }
}

YearFracPlugin.implementedFunctions = {
  YEARFRAC: { method: 'yearfrac', parameters: [SCALAR, SCALAR, OPTIONAL] },
};

export default { plugin: YearFracPlugin };
