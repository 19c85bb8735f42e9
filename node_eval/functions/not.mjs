// NOT as Excel computes it. Replaces HyperFormula's built-in, which reads empty
// text as FALSE (Excel: NOT("") is #VALUE!).
//
// Excel: NOT(logical) reverses a logical, a number (non-zero TRUE) or the text
// TRUE/FALSE; a blank cell is FALSE (so NOT gives TRUE); other text #VALUE!;
// an error is the result; an array gives an array.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { lift } from './lib/lookup-array.mjs';
import { isError, naError, toBoolean } from './lib/lookup-values.mjs';

class NotPlugin extends FunctionPlugin {
  not(ast, state) {
    if (ast.args.length !== 1) return naError('Wrong number of arguments');
    const value = this.evaluateAst(ast.args[0], state);
    return lift([value], [true], (v) => {
      const flag = toBoolean(v);
      return isError(flag) ? flag : !flag;
    });
  }
}

NotPlugin.implementedFunctions = {
  NOT: { method: 'not', parameters: [{ argumentType: FunctionArgumentType.SCALAR }] },
};

export default { plugin: NotPlugin };
