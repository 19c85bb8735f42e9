// REPT(text, number_times).
//
// Replaces HyperFormula's REPT, whose text.repeat made the whole build fail with
// "RangeError: Invalid string length" for REPT("Hwllo",123456789). Excel: the count is
// truncated, a negative count is #VALUE!, and so is a result longer than 32,767
// characters; numbers repeat as their General text (REPT(123,2) is "123123").

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { MAX_TEXT, isError, toNumber, toText, valueError } from './lib/text-args.mjs';

const ARG = { argumentType: FunctionArgumentType.NOERROR };

class ReptPlugin extends FunctionPlugin {
  rept(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('REPT'), (text, times) => {
      const t = toText(text);
      if (isError(t)) return t;
      const n = toNumber(times, this.config);
      if (isError(n)) return n;
      const count = Math.trunc(n);
      if (count < 0) return valueError('Negative count.');
      if (t.length * count > MAX_TEXT) return valueError('Text result longer than 32,767 characters.');
      return t.repeat(count);
    });
  }
}

ReptPlugin.implementedFunctions = {
  REPT: { method: 'rept', parameters: [ARG, ARG] },
};

export default { plugin: ReptPlugin };
