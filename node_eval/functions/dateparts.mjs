// DAY, MONTH, YEAR, WEEKDAY, WEEKNUM, ISOWEEKNUM, HOUR, MINUTE, SECOND as Excel computes them.
//
// Replaces HyperFormula's built-ins, which read serial 0 as 1899-12-31 (Excel: the
// fictitious 1900-01-00, so DAY(0)=0, MONTH(0)=1, YEAR(0)=1900), accept serials past
// 9999-12-31 (Excel: #NUM!) and check the serial before a later argument's error.
// Excel: the serial's fraction is ignored for the date parts; HOUR/MINUTE/SECOND round
// the time of day to the nearest second; a negative serial or one past 9999-12-31 is #NUM!.

import { FunctionPlugin } from 'hyperformula';

import { num, numbers, OPTIONAL, SCALAR } from './lib/finance-args.mjs';
import { dateSystemOf } from './lib/finance-dates.mjs';

// WEEKDAY return types: the weekday (0 = Sunday) that counts as 1, and the value of that day.
const WEEKDAY_TYPES = new Map([
  [1, [0, 1]],
  [2, [1, 1]],
  [3, [1, 0]],
  [11, [1, 1]],
  [12, [2, 1]],
  [13, [3, 1]],
  [14, [4, 1]],
  [15, [5, 1]],
  [16, [6, 1]],
  [17, [0, 1]],
]);
// WEEKNUM return types (21 is ISO): the weekday a week starts on.
const WEEKNUM_START = new Map([
  [1, 0],
  [2, 1],
  [11, 1],
  [12, 2],
  [13, 3],
  [14, 4],
  [15, 5],
  [16, 6],
  [17, 0],
]);

class DatePartsPlugin extends FunctionPlugin {
  /** Run `fn(serial, ...rest)` after Excel's conversion and range check of the serial. */
  withSerial(ast, state, id, fn) {
    return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
      const values = numbers(this, args);
      if (!Array.isArray(values)) return values;
      const ds = dateSystemOf(this.config);
      const [serial, ...rest] = values;
      if (!ds.inRange(serial)) return num('the date is not between 0 and 9999-12-31');
      return fn(ds, serial, ...rest);
    });
  }

  day(ast, state) {
    return this.withSerial(ast, state, 'DAY', (ds, s) => ds.toYMD(s).d);
  }

  month(ast, state) {
    return this.withSerial(ast, state, 'MONTH', (ds, s) => ds.toYMD(s).m);
  }

  year(ast, state) {
    return this.withSerial(ast, state, 'YEAR', (ds, s) => ds.toYMD(s).y);
  }

  weekday(ast, state) {
    return this.withSerial(ast, state, 'WEEKDAY', (ds, s, type = 1) => {
      const kind = WEEKDAY_TYPES.get(Math.trunc(type));
      if (kind === undefined) return num('WEEKDAY return type must be 1, 2, 3 or 11 to 17');
      const [first, base] = kind;
      return ((ds.weekday(s) - first + 7) % 7) + base;
    });
  }

  weeknum(ast, state) {
    return this.withSerial(ast, state, 'WEEKNUM', (ds, s, type = 1) => {
      const t = Math.trunc(type);
      if (t === 21) return isoWeek(ds, Math.floor(s));
      const start = WEEKNUM_START.get(t);
      if (start === undefined) return num('WEEKNUM return type must be 1, 2, 11 to 17 or 21');
      const day = Math.floor(s);
      const jan1 = ds.toSerial(ds.toYMD(day).y, 1, 1);
      const offset = (ds.weekday(jan1) - start + 7) % 7; // days of week 1 before 1 January
      return Math.floor((day - jan1 + offset) / 7) + 1;
    });
  }

  isoweeknum(ast, state) {
    return this.withSerial(ast, state, 'ISOWEEKNUM', (ds, s) => isoWeek(ds, Math.floor(s)));
  }

  hour(ast, state) {
    return this.withSerial(ast, state, 'HOUR', (ds, s) => Math.floor(secondOfDay(s) / 3600));
  }

  minute(ast, state) {
    return this.withSerial(ast, state, 'MINUTE', (ds, s) => Math.floor(secondOfDay(s) / 60) % 60);
  }

  second(ast, state) {
    return this.withSerial(ast, state, 'SECOND', (ds, s) => secondOfDay(s) % 60);
  }
}

/** The second of the day of a serial, rounded to the nearest second (86400 wraps to 0). */
function secondOfDay(serial) {
  const seconds = Math.round((serial - Math.floor(serial)) * 86400);
  return seconds >= 86400 ? 0 : seconds;
}

/** ISO 8601 week number: the week (Monday first) whose Thursday lies in the year. */
function isoWeek(ds, day) {
  const thursday = day - ((ds.weekday(day) + 6) % 7) + 3;
  const jan1 = ds.toSerial(ds.toYMD(thursday).y, 1, 1);
  return Math.floor((thursday - jan1) / 7) + 1;
}

const one = [SCALAR];
const withType = [SCALAR, OPTIONAL];
DatePartsPlugin.implementedFunctions = {
  DAY: { method: 'day', parameters: one },
  MONTH: { method: 'month', parameters: one },
  YEAR: { method: 'year', parameters: one },
  WEEKDAY: { method: 'weekday', parameters: withType },
  WEEKNUM: { method: 'weeknum', parameters: withType },
  ISOWEEKNUM: { method: 'isoweeknum', parameters: one },
  HOUR: { method: 'hour', parameters: one },
  MINUTE: { method: 'minute', parameters: one },
  SECOND: { method: 'second', parameters: one },
};

export default { plugin: DatePartsPlugin };
