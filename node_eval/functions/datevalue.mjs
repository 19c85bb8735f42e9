// DATEVALUE and TIMEVALUE as Excel (en-US) computes them.
//
// Replaces HyperFormula's built-ins, which parse only the configured formats
// (DD/MM/YYYY by default) and reject Excel's 29-Feb-1900. Excel reads month/day/year,
// year-month-day, "15-Jan-2024", "Jan 15, 2024" and the like, with or without a time.
// Both take text only: a number, a logical or an empty cell is #VALUE!.
// DATEVALUE drops the time of day (text with no date is 0); TIMEVALUE drops the date
// and keeps the time's fraction of a day ("24:00" is 0, text with no time is 0).

import { CellError, FunctionPlugin } from 'hyperformula';

import { SCALAR, value } from './lib/finance-args.mjs';
import { dateSystemOf } from './lib/finance-dates.mjs';
import { parseDateTime } from './lib/finance-datetext.mjs';

class DateValuePlugin extends FunctionPlugin {
  parse(ast, state, id, pick) {
    return this.runFunction(ast.args, state, this.metadata(id), (text) => {
      if (text instanceof CellError) return text;
      if (typeof text !== 'string') return value(`${id} needs a text`);
      const parsed = parseDateTime(text, dateSystemOf(this.config));
      if (parsed === undefined) return value(`"${text}" is not a date or time`);
      return pick(parsed);
    });
  }

  datevalue(ast, state) {
    return this.parse(ast, state, 'DATEVALUE', (p) => p.date);
  }

  timevalue(ast, state) {
    return this.parse(ast, state, 'TIMEVALUE', (p) => {
      const days = p.seconds / 86400;
      return days - Math.floor(days);
    });
  }
}

DateValuePlugin.implementedFunctions = {
  DATEVALUE: { method: 'datevalue', parameters: [SCALAR] },
  TIMEVALUE: { method: 'timevalue', parameters: [SCALAR] },
};

export default { plugin: DateValuePlugin };
