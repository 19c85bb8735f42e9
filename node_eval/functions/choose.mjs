// CHOOSE as Excel computes it. Replaces HyperFormula's built-in, which evaluates
// every value (Excel only the chosen one), returns #NUM! where Excel returns
// #VALUE! (index < 1 or beyond the values) and wants an integer index (Excel
// truncates 2.8 to 2).
//
// Excel: index_num is coerced to a number (TRUE 1, "2" 2) and truncated; outside
// 1..number of values: #VALUE!; an error is the result. The chosen value is
// returned as it is, a reference staying a reference (SUM(CHOOSE(2,A1:A3,B1:B3))).
// An array of indices gives an array of choices.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { evaluateReference, lift } from './lib/lookup-array.mjs';
import { isError, isRange, naError, toNumber, valueError } from './lib/lookup-values.mjs';
import { SCALAR, broadcastSize, eitherSize, fitSpill, literalNumber, sizeOf, sizeResult } from './lib/lookup-size.mjs';

class ChoosePlugin extends FunctionPlugin {
  choose(ast, state) {
    return fitSpill(ast, state, this.chooseValue(ast, state));
  }

  chooseValue(ast, state) {
    if (ast.args.length < 2) return naError('Wrong number of arguments');
    const index = this.evaluateAst(ast.args[0], state);
    const chosen = new Map();
    const pick = (value) => {
      const number = toNumber(value, this.arithmeticHelper);
      if (isError(number)) return number;
      const position = Math.trunc(number);
      if (position < 1 || position >= ast.args.length) return valueError('index_num is out of range');
      if (!chosen.has(position)) chosen.set(position, evaluateReference(this, ast.args[position], state));
      return chosen.get(position);
    };
    if (!isRange(index)) return pick(index);
    return lift([index], [true], pick);
  }

  chooseSize(ast, state) {
    if (ast.args.length < 2) return sizeResult(SCALAR, state);
    const index = literalNumber(ast.args[0]);
    if (index !== undefined) {
      const position = Math.trunc(index);
      return sizeResult(position >= 1 && position < ast.args.length ? sizeOf(this, ast.args[position], state) : SCALAR, state);
    }
    const indices = sizeOf(this, ast.args[0], state);
    if (indices.rows * indices.cols > 1 || !indices.exact) return sizeResult(broadcastSize(this, [ast.args[0]], state), state);
    return sizeResult(eitherSize(this, ast.args.slice(1), state), state);
  }
}

ChoosePlugin.implementedFunctions = {
  CHOOSE: {
    method: 'choose',
    sizeOfResultArrayMethod: 'chooseSize',
    parameters: [{ argumentType: FunctionArgumentType.NUMBER }, { argumentType: FunctionArgumentType.ANY }],
    repeatLastArgs: 1,
  },
};

export default { plugin: ChoosePlugin };
