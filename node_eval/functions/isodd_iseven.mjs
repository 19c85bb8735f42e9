// ISODD and ISEVEN as Excel computes them. Replaces HyperFormula's built-ins,
// which test the number without truncating it (Excel: ISEVEN(2.3) is TRUE) and
// accept logicals (Excel: #VALUE!).
//
// Excel: the value is truncated toward zero (-5.5 is odd); text that reads as a
// number is converted, other text and logicals are #VALUE!; a blank cell is 0
// (even); errors propagate; arrays give arrays.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { lift } from './lib/lookup-array.mjs';
import { LOGICAL, isError, kindOf, naError, toNumber, valueError } from './lib/lookup-values.mjs';

class ParityPlugin extends FunctionPlugin {
  isodd(ast, state) {
    return this.parity(ast, state, 1);
  }

  iseven(ast, state) {
    return this.parity(ast, state, 0);
  }

  parity(ast, state, remainder) {
    if (ast.args.length !== 1) return naError('Wrong number of arguments');
    const value = this.evaluateAst(ast.args[0], state);
    return lift([value], [true], (v) => {
      if (kindOf(v) === LOGICAL) return valueError('A logical is not a number');
      const number = toNumber(v, this.arithmeticHelper);
      if (isError(number)) return number;
      return Math.abs(Math.trunc(number)) % 2 === remainder;
    });
  }
}

ParityPlugin.implementedFunctions = {
  ISODD: { method: 'isodd', parameters: [{ argumentType: FunctionArgumentType.SCALAR }] },
  ISEVEN: { method: 'iseven', parameters: [{ argumentType: FunctionArgumentType.SCALAR }] },
};

export default { plugin: ParityPlugin };
