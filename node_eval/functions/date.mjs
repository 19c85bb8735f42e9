// DATE and TIME as Excel computes them.
//
// Replaces HyperFormula's built-ins for Excel's 1900 calendar: DATE(1900,1,0) is
// serial 0 (1900-01-00), DATE(1900,2,29) is the fictitious serial 60; years 0-1899
// mean 1900-3799, a year below 0 or from 10000 on is #NUM!, as is any result before
// serial 0 or after 9999-12-31 (in the 1904 system DATE(1900,1,1) is #NUM!).
// TIME: hours, minutes and seconds are truncated, each must be at most 32767, the
// total must not be negative (#NUM!), and the result is its fraction of a day.

import { FunctionPlugin } from 'hyperformula';

import { num, numbers, SCALAR } from './lib/finance-args.mjs';
import { dateSystemOf } from './lib/finance-dates.mjs';

class DatePlugin extends FunctionPlugin {
  date(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('DATE'), (...args) => {
      const values = numbers(this, args);
      if (!Array.isArray(values)) return values;
      let [y, m, d] = values.map(Math.trunc);
      if (y < 0 || y >= 10000) return num('DATE year must be between 0 and 9999');
      if (y < 1900) y += 1900;
      const ds = dateSystemOf(this.config);
      const serial = ds.toSerial(y, m, d);
      return ds.inRange(serial) ? serial : num('the date is not between 0 and 9999-12-31');
    });
  }

  time(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TIME'), (...args) => {
      const values = numbers(this, args);
      if (!Array.isArray(values)) return values;
      const [h, m, s] = values.map(Math.trunc);
      if (h > 32767 || m > 32767 || s > 32767) return num('TIME arguments must be at most 32767');
      const seconds = h * 3600 + m * 60 + s;
      if (seconds < 0) return num('TIME must not be negative');
      const days = seconds / 86400;
      return days - Math.floor(days);
    });
  }
}

DatePlugin.implementedFunctions = {
  DATE: { method: 'date', parameters: [SCALAR, SCALAR, SCALAR] },
  TIME: { method: 'time', parameters: [SCALAR, SCALAR, SCALAR] },
};

export default { plugin: DatePlugin };
