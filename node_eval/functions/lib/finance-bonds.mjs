// Argument rules shared by Excel's bond and security functions (the Analysis ToolPak
// ones: COUP*, PRICE, YIELD, ACCRINT, DISC, ODDF*, ...).
//
// Every argument is converted first, in order (an error argument is the result, text
// that is not a number and TRUE/FALSE are #VALUE!); then dates are truncated and must
// lie in serial 0 .. 9999-12-31, frequency is truncated and must be 1, 2 or 4, basis is
// truncated and must be 0-4 (omitted: 0); any violation is #NUM!.

import { num, numbers } from './finance-args.mjs';
import { dateSystemOf } from './finance-dates.mjs';
import { dateOf, DayCount } from './finance-daycount.mjs';

/**
 * Convert bond arguments by kind: 'date' (a {y, m, d, s} date), 'number', 'freq',
 * 'basis'. Returns {values, ds, dc} (dc: the DayCount of the basis, if any), or an error.
 */
export function bondArgs(plugin, args, kinds) {
  const converted = numbers(plugin, args, { booleans: false });
  if (!Array.isArray(converted)) return converted;
  const ds = dateSystemOf(plugin.config);
  const values = [];
  let basis;
  for (let i = 0; i < kinds.length; i++) {
    const v = converted[i];
    switch (kinds[i]) {
      case 'date':
        if (!ds.inRange(v)) return num('a date is not between 0 and 9999-12-31');
        values.push(dateOf(ds, v));
        break;
      case 'freq': {
        const f = Math.trunc(v);
        if (f !== 1 && f !== 2 && f !== 4) return num('frequency must be 1, 2 or 4');
        values.push(f);
        break;
      }
      case 'basis': {
        basis = v === undefined ? 0 : Math.trunc(v);
        if (!(basis >= 0 && basis <= 4)) return num('basis must be 0 to 4');
        values.push(basis);
        break;
      }
      default:
        values.push(v);
    }
  }
  return { values, ds, dc: basis === undefined ? undefined : new DayCount(ds, basis) };
}
