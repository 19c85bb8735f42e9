// IFS and SWITCH as Excel computes them. Replaces HyperFormula's built-ins, which
// evaluate every argument (Excel stops at the first true condition or matching
// value, so an error further on does not matter), read a condition of empty text
// as FALSE (Excel: #VALUE!) and pass over an error among SWITCH's values (Excel
// returns it).
//
// Excel: IFS(condition1, value1, ...) returns the value of the first TRUE
// condition (a logical, a non-zero number or the text TRUE; other text #VALUE!;
// an error is the result); none: #N/A. SWITCH(expression, value1, result1, ...,
// [default]) returns the result of the first value equal to the expression (as
// = compares: same kind, text ignoring case, a blank equal to 0, "" and FALSE),
// else the default, else #N/A; an error in the expression or in a value reached
// is the result. An array condition or expression gives an array.

import { EmptyValue, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { evaluateReference, isOmitted, lift } from './lib/lookup-array.mjs';
import { eitherSize, fitSpill, sizeResult } from './lib/lookup-size.mjs';
import { LOGICAL, NUMBER, TEXT, isError, isRange, kindOf, lookupEquals, naError, toBoolean } from './lib/lookup-values.mjs';

/** Excel's = between two scalars (no errors): a blank is 0, "" or FALSE as the other side needs. */
function equalsForSwitch(a, b) {
  if (a === EmptyValue && b === EmptyValue) return true;
  if (a === EmptyValue || b === EmptyValue) {
    const other = a === EmptyValue ? b : a;
    const kind = kindOf(other);
    if (kind === NUMBER) return lookupEquals(other, 0);
    if (kind === TEXT) return other === '';
    if (kind === LOGICAL) return other === false;
    return false;
  }
  return lookupEquals(a, b);
}

class IfsSwitchPlugin extends FunctionPlugin {
  ifs(ast, state) {
    return fitSpill(ast, state, this.ifsValue(ast, state));
  }

  ifsValue(ast, state) {
    if (ast.args.length < 2 || ast.args.length % 2 !== 0) return naError('Wrong number of arguments');
    const value = (i) => (isOmitted(ast.args[i]) ? 0 : evaluateReference(this, ast.args[i], state));
    for (let i = 0; i < ast.args.length; i += 2) {
      const condition = this.evaluateAst(ast.args[i], state);
      if (isRange(condition)) return this.ifsArray(ast, state);
      const flag = toBoolean(condition);
      if (isError(flag)) return flag;
      if (flag) return value(i + 1);
    }
    return naError('No condition is TRUE');
  }

  /** An array among the conditions: every argument evaluated, decided cell by cell. */
  ifsArray(ast, state) {
    const args = ast.args.map((arg) => (isOmitted(arg) ? 0 : this.evaluateAst(arg, state)));
    return lift(args, args.map(() => true), (...cells) => {
      for (let i = 0; i < cells.length; i += 2) {
        const flag = toBoolean(cells[i]);
        if (isError(flag)) return flag;
        if (flag) return cells[i + 1] === EmptyValue ? 0 : cells[i + 1];
      }
      return naError('No condition is TRUE');
    });
  }

  switch(ast, state) {
    return fitSpill(ast, state, this.switchValue(ast, state));
  }

  switchValue(ast, state) {
    if (ast.args.length < 3) return naError('Wrong number of arguments');
    const expression = this.evaluateAst(ast.args[0], state);
    const pairs = Math.floor((ast.args.length - 1) / 2);
    const hasDefault = (ast.args.length - 1) % 2 === 1;
    const result = (i) => (isOmitted(ast.args[i]) ? 0 : evaluateReference(this, ast.args[i], state));
    const pick = (expr) => {
      if (isError(expr)) return expr;
      for (let p = 0; p < pairs; p++) {
        const candidate = this.evaluateAst(ast.args[1 + 2 * p], state);
        if (isError(candidate)) return candidate;
        if (!isRange(candidate) && equalsForSwitch(expr, candidate)) return result(2 + 2 * p);
      }
      return hasDefault ? result(ast.args.length - 1) : naError('No value matches');
    };
    if (!isRange(expression)) return pick(expression);
    return lift([expression], [true], (expr) => pick(expr));
  }

  /** The largest of the values (or expression array) it may return. */
  choiceSize(ast, state) {
    return sizeResult(eitherSize(this, ast.args, state), state);
  }
}

IfsSwitchPlugin.implementedFunctions = {
  IFS: {
    method: 'ifs',
    sizeOfResultArrayMethod: 'choiceSize',
    parameters: [{ argumentType: FunctionArgumentType.ANY }, { argumentType: FunctionArgumentType.ANY }],
    repeatLastArgs: 2,
  },
  SWITCH: {
    method: 'switch',
    sizeOfResultArrayMethod: 'choiceSize',
    parameters: [{ argumentType: FunctionArgumentType.ANY }, { argumentType: FunctionArgumentType.ANY }],
    repeatLastArgs: 1,
  },
};

export default { plugin: IfsSwitchPlugin };
