// CONCAT, CONCATENATE and TEXTJOIN.
//
// HyperFormula lacks CONCAT; its CONCATENATE and TEXTJOIN write numbers with JS's
// toString (1/3 gave "0.3333333333333333", Excel "0.333333333333333"). Excel:
// CONCATENATE joins scalars (a range argument gives one result per cell, as any
// scalar function in dynamic-array Excel), CONCAT and TEXTJOIN read every cell of
// their range and array arguments row by row; an empty cell is "", the first error
// met is the result, and a result longer than 32,767 characters is #VALUE!. TEXTJOIN's
// delimiter may be a range, used in turn; ignore_empty skips empty texts.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { flatten, isError, textResult, toBoolean, toText } from './lib/text-args.mjs';

const SCALAR = { argumentType: FunctionArgumentType.NOERROR };
const ANY = { argumentType: FunctionArgumentType.ANY };

/** Every value of the arguments as text, or the first error. */
function texts(args) {
  const out = [];
  for (const arg of args) {
    for (const value of flatten(arg)) {
      const t = toText(value);
      if (isError(t)) return t;
      out.push(t);
    }
  }
  return out;
}

class ConcatPlugin extends FunctionPlugin {
  concatenate(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CONCATENATE'), (...args) => {
      const parts = texts(args);
      return isError(parts) ? parts : textResult(parts.join(''));
    });
  }

  concat(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CONCAT'), (...args) => {
      const parts = texts(args);
      return isError(parts) ? parts : textResult(parts.join(''));
    });
  }

  textjoin(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TEXTJOIN'), (delimiter, ignoreEmpty, ...args) => {
      const delimiters = texts([delimiter]);
      if (isError(delimiters)) return delimiters;
      const ignore = toBoolean(ignoreEmpty);
      if (isError(ignore)) return ignore;
      let parts = texts(args);
      if (isError(parts)) return parts;
      if (ignore) parts = parts.filter((t) => t !== '');
      let out = parts[0] ?? '';
      for (let i = 1; i < parts.length; i++) out += delimiters[(i - 1) % delimiters.length] + parts[i];
      return textResult(out);
    });
  }
}

ConcatPlugin.implementedFunctions = {
  CONCATENATE: { method: 'concatenate', parameters: [SCALAR], repeatLastArgs: 1 },
  CONCAT: { method: 'concat', parameters: [ANY], repeatLastArgs: 1 },
  TEXTJOIN: { method: 'textjoin', parameters: [ANY, SCALAR, ANY], repeatLastArgs: 1 },
};

export default { plugin: ConcatPlugin };
