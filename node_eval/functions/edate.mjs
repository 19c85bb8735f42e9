// EDATE and EOMONTH as Excel computes them.
//
// Replaces HyperFormula's built-ins, which give #NUM! for a fractional number of
// months (Excel truncates it: EOMONTH(d, 4.5) = EOMONTH(d, 4)), accept TRUE/FALSE
// (Excel, an Analysis ToolPak function here: #VALUE!) and read serial 0 as 1899-12-31.
// Excel: the start date's fraction is dropped; a start or a result before serial 0
// or after 9999-12-31 is #NUM!; EDATE keeps the day, clamped to the month's length.

import { FunctionPlugin } from 'hyperformula';

import { num, numbers, SCALAR } from './lib/finance-args.mjs';
import { dateSystemOf } from './lib/finance-dates.mjs';

class EdatePlugin extends FunctionPlugin {
  shift(ast, state, id, endOfMonth) {
    return this.runFunction(ast.args, state, this.metadata(id), (...args) => {
      const values = numbers(this, args, { booleans: false });
      if (!Array.isArray(values)) return values;
      const [start, months] = values;
      const ds = dateSystemOf(this.config);
      if (!ds.inRange(start)) return num('the start date is not between 0 and 9999-12-31');
      const moved = ds.addMonths(ds.toYMD(start), Math.trunc(months));
      const day = endOfMonth ? ds.daysInMonth(moved.y, moved.m) : moved.d;
      const serial = ds.toSerial(moved.y, moved.m, day);
      return ds.inRange(serial) ? serial : num('the result is not between 0 and 9999-12-31');
    });
  }

  edate(ast, state) {
    return this.shift(ast, state, 'EDATE', false);
  }

  eomonth(ast, state) {
    return this.shift(ast, state, 'EOMONTH', true);
  }
}

EdatePlugin.implementedFunctions = {
  EDATE: { method: 'edate', parameters: [SCALAR, SCALAR] },
  EOMONTH: { method: 'eomonth', parameters: [SCALAR, SCALAR] },
};

export default { plugin: EdatePlugin };
