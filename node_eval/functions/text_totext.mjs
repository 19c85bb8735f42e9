// VALUETOTEXT(value, [format]) and ARRAYTOTEXT(array, [format]).
//
// HyperFormula has neither. Excel: format 0 (concise) writes text as it is, numbers as
// their General text, TRUE/FALSE, errors as their code (#DIV/0!) and an empty cell as
// ""; format 1 (strict) quotes text ("a""b" for a"b). ARRAYTOTEXT joins the values
// row by row with ", " (concise) or writes an array constant {1,2;"a",TRUE} (strict).
// A format other than 0 or 1 is #VALUE!.

import { EmptyValue, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { errorText, isError, raw, rows, toNumber, toText, valueError } from './lib/text-args.mjs';

const VALUE = { argumentType: FunctionArgumentType.SCALAR };
const ANY = { argumentType: FunctionArgumentType.ANY };
const FORMAT = { argumentType: FunctionArgumentType.NOERROR, optionalArg: true };

class ToTextPlugin extends FunctionPlugin {
  /** 0 or 1, or an error. */
  format(arg) {
    if (arg === undefined || arg === EmptyValue) return 0;
    const n = toNumber(arg, this.config);
    if (isError(n)) return n;
    const f = Math.trunc(n);
    return f === 0 || f === 1 ? f : valueError('Format must be 0 or 1.');
  }

  render(value, strict) {
    const v = raw(value);
    if (isError(v)) return errorText(this.config, v);
    if (typeof v === 'string') return strict ? `"${v.replace(/"/g, '""')}"` : v;
    return toText(v);
  }

  valuetotext(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('VALUETOTEXT'), (value, format) => {
      const f = this.format(format);
      return isError(f) ? f : this.render(value, f === 1);
    });
  }

  arraytotext(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('ARRAYTOTEXT'), (array, format) => {
      const f = this.format(format);
      if (isError(f)) return f;
      const data = rows(array);
      if (f === 0) return data.flat().map((v) => this.render(v, false)).join(', ');
      return `{${data.map((row) => row.map((v) => this.render(v, true)).join(',')).join(';')}}`;
    });
  }
}

ToTextPlugin.implementedFunctions = {
  VALUETOTEXT: { method: 'valuetotext', parameters: [VALUE, FORMAT] },
  ARRAYTOTEXT: { method: 'arraytotext', parameters: [ANY, FORMAT] },
};

export default { plugin: ToTextPlugin };
