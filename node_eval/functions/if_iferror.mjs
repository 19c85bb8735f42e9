// IF, IFERROR and IFNA as Excel computes them. Replaces HyperFormula's
// built-ins, which evaluate every branch, read a condition of empty text as
// FALSE (Excel: #VALUE!) and, when arrays of different sizes meet, fill the
// cells beyond the smaller array with a default (Excel: #N/A).
//
// Excel: IF evaluates only the branch it returns; the condition is a logical, a
// number (non-zero TRUE) or the text TRUE/FALSE (other text #VALUE!), blank is
// FALSE, an error is the result; an omitted else is FALSE, an empty branch 0;
// the branch is returned as it is (a range stays a range). An array condition
// gives an array: each cell picks from the branches, broadcast to the largest
// size (a single row/column repeats; beyond a smaller array is #N/A).
// IFERROR/IFNA return the value unless it is an error (IFNA: #N/A only), in
// which case the fallback; an array value is handled cell by cell.

import { EmptyValue, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { evaluateReference, isOmitted, lift } from './lib/lookup-array.mjs';
import { SCALAR, broadcastSize, eitherSize, fitSpill, literalNumber, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { isError, isRange, naError, toBoolean } from './lib/lookup-values.mjs';

class IfPlugin extends FunctionPlugin {
  if(ast, state) {
    return fitSpill(ast, state, this.ifValue(ast, state));
  }

  ifValue(ast, state) {
    if (ast.args.length < 1 || ast.args.length > 3) return naError('Wrong number of arguments');
    const condition = this.evaluateAst(ast.args[0], state);
    const branch = (i) => {
      if (i >= ast.args.length) return false; // IF(c, x) with c FALSE
      if (isOmitted(ast.args[i])) return 0;
      return evaluateReference(this, ast.args[i], state);
    };
    if (!isRange(condition)) {
      const flag = toBoolean(condition);
      if (isError(flag)) return flag;
      return branch(flag ? 1 : 2);
    }
    const whenTrue = branch(1);
    const whenFalse = branch(2);
    return lift([condition, whenTrue, whenFalse], [true, true, true], (c, t, f) => {
      const flag = toBoolean(c);
      if (isError(flag)) return flag;
      return blankAsZero(flag ? t : f);
    });
  }

  /** A condition written in the formula picks a branch; an array condition broadcasts; else a branch's size. */
  ifSize(ast, state) {
    const literal = ast.args.length > 0 ? literalNumber(ast.args[0]) : undefined;
    if (literal !== undefined) {
      const i = literal !== 0 ? 1 : 2;
      return sizeResult(i < ast.args.length ? sizeOf(this, ast.args[i], state) : SCALAR, state);
    }
    const condition = sizeOf(this, ast.args[0], state);
    if (condition.rows * condition.cols > 1 || !condition.exact) return sizeResult(broadcastSize(this, ast.args, state), state);
    return sizeResult(eitherSize(this, ast.args.slice(1), state), state);
  }


  iferror(ast, state) {
    return fitSpill(ast, state, this.onError(ast, state, () => true));
  }

  ifna(ast, state) {
    return fitSpill(ast, state, this.onError(ast, state, (error) => error.type === 'NA'));
  }

  onError(ast, state, catches) {
    if (ast.args.length !== 2) return naError('Wrong number of arguments');
    const value = evaluateReference(this, ast.args[0], state);
    const fallback = () => (isOmitted(ast.args[1]) ? 0 : evaluateReference(this, ast.args[1], state));
    if (!isRange(value)) return isError(value) && catches(value) ? fallback() : blankAsZero(value);
    if (value.height() === 1 && value.width() === 1) {
      const cell = value.data[0][0];
      return isError(cell) && catches(cell) ? fallback() : blankAsZero(cell);
    }
    return lift([value, fallback()], [true, true], (v, f) => blankAsZero(isError(v) && catches(v) ? f : v));
  }

  onErrorSize(ast, state) {
    const value = sizeOf(this, ast.args[0], state);
    if (value.rows * value.cols > 1 || !value.exact) return sizeResult(broadcastSize(this, ast.args, state), state);
    return sizeResult(eitherSize(this, ast.args, state), state);
  }
}

function blankAsZero(value) {
  return value === EmptyValue ? 0 : value;
}

IfPlugin.implementedFunctions = {
  IF: {
    method: 'if',
    sizeOfResultArrayMethod: 'ifSize',
    parameters: [
      { argumentType: FunctionArgumentType.ANY },
      { argumentType: FunctionArgumentType.ANY, optionalArg: true },
      { argumentType: FunctionArgumentType.ANY, optionalArg: true },
    ],
  },
  IFERROR: {
    method: 'iferror',
    sizeOfResultArrayMethod: 'onErrorSize',
    parameters: [{ argumentType: FunctionArgumentType.ANY }, { argumentType: FunctionArgumentType.ANY }],
  },
  IFNA: {
    method: 'ifna',
    sizeOfResultArrayMethod: 'onErrorSize',
    parameters: [{ argumentType: FunctionArgumentType.ANY }, { argumentType: FunctionArgumentType.ANY }],
  },
};

export default { plugin: IfPlugin };
