// DAYS, DAYS360 and DATEDIF as Excel computes them.
//
// Replaces HyperFormula's built-ins for Excel's 1900 calendar (serial 0 is 1900-01-00,
// 60 the fictitious 1900-02-29), Excel's date range (#NUM! past 9999-12-31) and the
// details below.
// DAYS360 (US/NASD): a start on the 31st or on the last day of February counts as the
// 30th; an end on the 31st counts as the 30th only when the start (so adjusted) is the
// 30th. European: both 31sts count as 30ths.
// DATEDIF: start after end is #NUM!; "MD" is the end's day minus the start's day
// counted from the month before the end (which can be negative, as Excel gives for
// 31 Jan to 1 Mar); "YD" counts from the start to the end's month and day in the
// start's year (or the next), so a 29 Feb of the end's year is not counted.

import { CellError, FunctionPlugin } from 'hyperformula';

import { num, numbers, OPTIONAL, SCALAR, value } from './lib/finance-args.mjs';
import { dateSystemOf, days360 } from './lib/finance-dates.mjs';

class DaysPlugin extends FunctionPlugin {
  /** The numbers of the first `count` arguments, each a date in range, or an error. */
  dates(args, count) {
    const values = numbers(this, args.slice(0, count));
    if (!Array.isArray(values)) return values;
    const ds = dateSystemOf(this.config);
    if (values.some((v) => !ds.inRange(v))) return num('a date is not between 0 and 9999-12-31');
    return values.map(Math.floor);
  }

  days(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DAYS'), (...args) => {
      const dates = this.dates(args, 2);
      return Array.isArray(dates) ? dates[0] - dates[1] : dates;
    });
  }

  days360(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DAYS360'), (start, end, method) => {
      const dates = this.dates([start, end], 2);
      if (!Array.isArray(dates)) return dates;
      const european = toBoolean(method);
      if (european instanceof CellError) return european;
      const ds = dateSystemOf(this.config);
      return days360(ds, ds.toYMD(dates[0]), ds.toYMD(dates[1]), european);
    });
  }

  datedif(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DATEDIF'), (start, end, unit) => {
      const dates = this.dates([start, end], 2);
      if (!Array.isArray(dates)) return dates;
      if (unit instanceof CellError) return unit;
      const [s, e] = dates;
      if (s > e) return num('DATEDIF start date is after the end date');
      const ds = dateSystemOf(this.config);
      const a = ds.toYMD(s);
      const b = ds.toYMD(e);
      const months = (b.y - a.y) * 12 + (b.m - a.m) - (b.d < a.d ? 1 : 0);
      const sameOrLater = b.m > a.m || (b.m === a.m && b.d >= a.d);
      switch (String(unit).toUpperCase()) {
        case 'D':
          return e - s;
        case 'M':
          return months;
        case 'Y':
          return Math.floor(months / 12);
        case 'YM':
          return months % 12;
        case 'MD':
          return b.d >= a.d ? b.d - a.d : e - ds.toSerial(b.y, b.m - 1, a.d);
        case 'YD':
          return ds.toSerial(a.y + (sameOrLater ? 0 : 1), b.m, b.d) - s;
        default:
          return num('DATEDIF unit must be Y, M, D, MD, YM or YD');
      }
    });
  }
}

/** DAYS360's method argument as a boolean (omitted: FALSE). */
function toBoolean(v) {
  if (v === undefined || v === null || typeof v === 'symbol') return false;
  if (v instanceof CellError || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const text = String(v).toUpperCase();
  if (text === 'TRUE') return true;
  if (text === 'FALSE') return false;
  return value('DAYS360 method must be TRUE or FALSE');
}

DaysPlugin.implementedFunctions = {
  DAYS: { method: 'days', parameters: [SCALAR, SCALAR] },
  DAYS360: { method: 'days360', parameters: [SCALAR, SCALAR, OPTIONAL] },
  DATEDIF: { method: 'datedif', parameters: [SCALAR, SCALAR, SCALAR] },
};

export default { plugin: DaysPlugin };
