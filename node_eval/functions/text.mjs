// TEXT(value, format_text): a number formatted with an Excel number format code.
//
// Replaces HyperFormula's TEXT, which knows only a few date and 0/# patterns
// (TEXT(x,"mmmm") gave "0100", TEXT(x,"General") gave "General", sections,
// conditions, scientific, fractions, elapsed times and text sections were missing).
// Excel: text that reads as a number (VALUE's rules) is formatted as that number, other
// text and TRUE/FALSE go through the text section (or come back unchanged), an empty
// cell is 0, and an invalid code, a negative date or a date past 9999 is #VALUE!.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { raw, toText, valueError } from './lib/text-args.mjs';
import { is1904 } from './lib/text-dates.mjs';
import { formatValue } from './lib/text-numfmt.mjs';
import { parseNumber } from './lib/text-parse.mjs';

class TextFormatPlugin extends FunctionPlugin {
  text(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TEXT'), (value, format) => {
      const code = toText(format);
      const date1904 = is1904(this.config);
      let v = raw(value);
      if (typeof v === 'boolean') v = v ? 'TRUE' : 'FALSE';
      else if (typeof v === 'string') v = parseNumber(v, date1904) ?? v;
      else if (typeof v !== 'number') v = 0; // an empty cell
      const result = formatValue(v, code, date1904);
      return result === undefined ? valueError(`Cannot format with "${code}".`) : result;
    });
  }
}

TextFormatPlugin.implementedFunctions = {
  TEXT: {
    method: 'text',
    parameters: [{ argumentType: FunctionArgumentType.NOERROR }, { argumentType: FunctionArgumentType.NOERROR }],
  },
};

export default { plugin: TextFormatPlugin };
