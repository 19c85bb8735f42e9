// SUBSTITUTE, REPLACE and REPLACEB.
//
// Replaces HyperFormula's versions: SUBSTITUTE("testblankmatch","","!",1) gave
// "!testblankmatch" (Excel leaves the text unchanged when old_text is empty),
// SUBSTITUTE(...,1.9) did not truncate the instance, REPLACE("ABCDEFG",2.3,3.9,"xx")
// gave "AxxFG" (Excel truncates both to 2 and 3: "AxxEFG"), and numbers became text
// with JS's toString. Excel: an instance below 1, a start below 1 or a negative
// count is #VALUE!, as is a result longer than 32,767 characters.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { isError, textResult, toNumber, toText, valueError } from './lib/text-args.mjs';

const ARG = { argumentType: FunctionArgumentType.NOERROR };
const OPTIONAL = { argumentType: FunctionArgumentType.NOERROR, optionalArg: true };

class ReplacePlugin extends FunctionPlugin {
  substitute(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('SUBSTITUTE'), (text, oldText, newText, instance) => {
      const [t, from, to] = [toText(text), toText(oldText), toText(newText)];
      for (const v of [t, from, to]) if (isError(v)) return v;
      let nth;
      if (instance !== undefined) {
        const n = toNumber(instance, this.config);
        if (isError(n)) return n;
        nth = Math.trunc(n);
        if (nth < 1) return valueError('Instance below 1.');
      }
      if (from === '') return t;
      if (nth === undefined) return textResult(t.split(from).join(to));
      let at = -1;
      for (let k = 0; k < nth; k++) {
        at = t.indexOf(from, at < 0 ? 0 : at + from.length);
        if (at < 0) return t;
      }
      return textResult(t.slice(0, at) + to + t.slice(at + from.length));
    });
  }

  replace(ast, state) {
    const name = String(ast.procedureName ?? '').toUpperCase() === 'REPLACEB' ? 'REPLACEB' : 'REPLACE';
    return this.runFunction(ast.args, state, this.metadata(name), (text, start, count, newText) => {
      const [t, to] = [toText(text), toText(newText)];
      if (isError(t)) return t;
      const [s, n] = [toNumber(start, this.config), toNumber(count, this.config)];
      if (isError(s)) return s;
      if (isError(n)) return n;
      if (isError(to)) return to;
      const [from, length] = [Math.trunc(s), Math.trunc(n)];
      if (from < 1) return valueError('Start below 1.');
      if (length < 0) return valueError('Negative count.');
      return textResult(t.slice(0, from - 1) + to + t.slice(from - 1 + length));
    });
  }
}

ReplacePlugin.implementedFunctions = {
  SUBSTITUTE: { method: 'substitute', parameters: [ARG, ARG, ARG, OPTIONAL] },
  REPLACE: { method: 'replace', parameters: [ARG, ARG, ARG, ARG] },
  REPLACEB: { method: 'replace', parameters: [ARG, ARG, ARG, ARG] },
};

export default { plugin: ReplacePlugin };
