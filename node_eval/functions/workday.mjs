// WORKDAY, WORKDAY.INTL, NETWORKDAYS, NETWORKDAYS.INTL as Excel computes them.
//
// Replaces HyperFormula's built-ins for Excel's 1900 calendar (serial 0 is a
// Saturday, 1 a Sunday: weekdays follow the serials through the fictitious
// 1900-02-29), Excel's date range and argument rules: dates are truncated, TRUE/FALSE
// are #VALUE! (Analysis ToolPak functions), a date outside serial 0 .. 9999-12-31 is
// #NUM!, as is a WORKDAY result outside it. Weekend: a number 1-7 or 11-17, or a
// 7-character text of 0/1 from Monday ("0000011" = Saturday and Sunday); an unknown
// number is #NUM!, a malformed text #VALUE!; WORKDAY.INTL with no working day at all is
// #VALUE! (NETWORKDAYS.INTL then counts 0). Holidays (a range, array or single value,
// empty cells skipped) that fall on weekends are ignored; an error among them is the
// result, text is #VALUE!.

import { CellError, EmptyValue, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { num, numbers, OPTIONAL, SCALAR, value } from './lib/finance-args.mjs';
import { dateSystemOf } from './lib/finance-dates.mjs';

// weekend numbers: the Monday-first weekend pattern
const WEEKENDS = new Map([
  [1, '0000011'],
  [2, '1000001'],
  [3, '1100000'],
  [4, '0110000'],
  [5, '0011000'],
  [6, '0001100'],
  [7, '0000110'],
  [11, '0000001'],
  [12, '1000000'],
  [13, '0100000'],
  [14, '0010000'],
  [15, '0001000'],
  [16, '0000100'],
  [17, '0000010'],
]);

class WorkdayPlugin extends FunctionPlugin {
  /** The weekend pattern of a weekend argument, or an error. */
  weekend(arg) {
    if (arg === undefined || arg === EmptyValue) return WEEKENDS.get(1);
    if (arg instanceof CellError) return arg;
    if (typeof arg === 'string') {
      return /^[01]{7}$/.test(arg) ? arg : value('a weekend text is 7 characters of 0 and 1');
    }
    const n = numbers(this, [arg], { booleans: false });
    if (!Array.isArray(n)) return n;
    return WEEKENDS.get(Math.trunc(n[0])) ?? num('weekend must be 1 to 7 or 11 to 17');
  }

  /** A calendar: working-day test and counts for a weekend pattern and holidays. */
  calendar(pattern, holidaysArg) {
    const ds = dateSystemOf(this.config);
    const monday = (s) => (ds.weekday(s) + 6) % 7; // 0 = Monday
    const working = (s) => pattern[monday(s)] === '0';
    const values = holidaysArg === undefined ? [] : holidaysArg instanceof SimpleRangeValue ? holidaysArg.valuesFromTopLeftCorner() : [holidaysArg];
    const holidays = [];
    for (const v of values) {
      if (v === EmptyValue) continue;
      if (v instanceof CellError) return v;
      const n = numbers(this, [v], { booleans: false });
      if (!Array.isArray(n)) return n;
      if (!ds.inRange(n[0])) return num('a holiday is not between 0 and 9999-12-31');
      const day = Math.floor(n[0]);
      if (working(day)) holidays.push(day);
    }
    const sorted = [...new Set(holidays)].sort((a, b) => a - b);
    const below = (x) => {
      // number of holidays < x
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const offset = monday(0);
    const perWeek = [...pattern].filter((c) => c === '0').length;
    // working days in [a, b]
    const count = (a, b) => {
      if (b < a) return 0;
      let n = 0;
      for (let i = 0; i < 7; i++) {
        if (pattern[i] !== '0') continue;
        const r = (((i - offset) % 7) + 7) % 7; // serials s with s ≡ r (mod 7) are weekday i
        n += Math.floor((b - r) / 7) - Math.floor((a - 1 - r) / 7);
      }
      return n - (below(b + 1) - below(a));
    };
    return { ds, working, count, perWeek };
  }

  networkdaysCore(start, end, weekendArg, holidaysArg) {
    const dates = numbers(this, [start, end], { booleans: false });
    if (!Array.isArray(dates)) return dates;
    const pattern = this.weekend(weekendArg);
    if (pattern instanceof CellError) return pattern;
    const cal = this.calendar(pattern, holidaysArg);
    if (cal instanceof CellError) return cal;
    if (!dates.every((d) => cal.ds.inRange(d))) return num('a date is not between 0 and 9999-12-31');
    const [a, b] = dates.map(Math.floor);
    return a <= b ? cal.count(a, b) : -cal.count(b, a);
  }

  workdayCore(start, daysArg, weekendArg, holidaysArg) {
    const values = numbers(this, [start, daysArg], { booleans: false });
    if (!Array.isArray(values)) return values;
    const pattern = this.weekend(weekendArg);
    if (pattern instanceof CellError) return pattern;
    if (pattern === '1111111') return value('there is no working day in the week');
    const cal = this.calendar(pattern, holidaysArg);
    if (cal instanceof CellError) return cal;
    if (!cal.ds.inRange(values[0])) return num('the start date is not between 0 and 9999-12-31');
    const from = Math.floor(values[0]);
    const days = Math.trunc(values[1]);
    if (days === 0) return from;
    const sign = Math.sign(days);
    const wanted = Math.abs(days);
    // working days strictly after (before) the start up to the candidate day
    const reached = (d) => (sign > 0 ? cal.count(from + 1, d) : cal.count(d, from - 1));
    let step = Math.ceil((wanted * 7) / cal.perWeek) + 7;
    let far = from + sign * step;
    while (reached(far) < wanted) {
      step *= 2;
      far = from + sign * step;
      if (Math.abs(far) > 4 * cal.ds.maxSerial) return num('the result is not a valid date');
    }
    let lo = 1; // reached(from + sign*lo) may be < wanted
    let hi = step; // reached(from + sign*hi) >= wanted
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (reached(from + sign * mid) >= wanted) hi = mid;
      else lo = mid + 1;
    }
    const result = from + sign * hi;
    return cal.ds.inRange(result) ? result : num('the result is not between 0 and 9999-12-31');
  }

  networkdays(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NETWORKDAYS'), (s, e, h) => this.networkdaysCore(s, e, undefined, h));
  }

  networkdaysintl(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('NETWORKDAYS.INTL'), (s, e, w, h) => this.networkdaysCore(s, e, w, h));
  }

  workday(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('WORKDAY'), (s, d, h) => this.workdayCore(s, d, undefined, h));
  }

  workdayintl(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('WORKDAY.INTL'), (s, d, w, h) => this.workdayCore(s, d, w, h));
  }
}

const HOLIDAYS = { argumentType: FunctionArgumentType.ANY, optionalArg: true };
WorkdayPlugin.implementedFunctions = {
  NETWORKDAYS: { method: 'networkdays', parameters: [SCALAR, SCALAR, HOLIDAYS] },
  'NETWORKDAYS.INTL': { method: 'networkdaysintl', parameters: [SCALAR, SCALAR, OPTIONAL, HOLIDAYS] },
  WORKDAY: { method: 'workday', parameters: [SCALAR, SCALAR, HOLIDAYS] },
  'WORKDAY.INTL': { method: 'workdayintl', parameters: [SCALAR, SCALAR, OPTIONAL, HOLIDAYS] },
};

export default { plugin: WorkdayPlugin };
