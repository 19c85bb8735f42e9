// AND, OR, XOR as Excel computes them. Replaces HyperFormula's built-ins, which
// read blank and text cells of a range as FALSE (Excel ignores them) and return
// FALSE when there is nothing to test (Excel: #VALUE!).
//
// Excel: numbers count as logicals (non-zero TRUE); blanks and text inside
// references and arrays are ignored; a text argument written directly is read
// as TRUE/FALSE when it says so, ignored when empty, #VALUE! otherwise; the first
// error met is the result; no logical value at all is #VALUE!. AND: all TRUE;
// OR: any TRUE; XOR: an odd number of TRUE.

import { EmptyValue, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { evaluateReference, unwrap } from './lib/lookup-array.mjs';
import { LOGICAL, NUMBER, TEXT, isError, isRange, kindOf, naError, raw, valueError } from './lib/lookup-values.mjs';

class LogicalPlugin extends FunctionPlugin {
  and(ast, state) {
    return this.combine(ast, state, (trues, count) => trues === count);
  }

  or(ast, state) {
    return this.combine(ast, state, (trues) => trues > 0);
  }

  xor(ast, state) {
    return this.combine(ast, state, (trues) => trues % 2 === 1);
  }

  /** Count the logical values and the TRUE ones among all arguments, then decide. */
  combine(ast, state, decide) {
    if (ast.args.length < 1) return naError('Wrong number of arguments');
    let count = 0;
    let trues = 0;
    const take = (flag) => {
      count += 1;
      if (flag) trues += 1;
    };
    for (const argAst of ast.args) {
      const node = unwrap(argAst);
      if (node.type === 'EMPTY') {
        take(false); // an empty argument is FALSE, as 0
        continue;
      }
      const value = node.type === 'CELL_REFERENCE' ? evaluateReference(this, node, state) : this.evaluateAst(node, state);
      if (isRange(value)) {
        for (const row of value.data) {
          for (const cell of row) {
            if (isError(cell)) return cell;
            const kind = kindOf(cell);
            if (kind === NUMBER) take(raw(cell) !== 0);
            else if (kind === LOGICAL) take(cell);
          }
        }
        continue;
      }
      if (isError(value)) return value;
      const kind = kindOf(value);
      if (kind === NUMBER) take(raw(value) !== 0);
      else if (kind === LOGICAL) take(value);
      else if (kind === TEXT && value !== '') {
        const upper = value.toUpperCase();
        if (upper !== 'TRUE' && upper !== 'FALSE') return valueError('Text is not a logical value');
        take(upper === 'TRUE');
      } else if (value === EmptyValue) {
        // a blank cell reached through a name or function: ignored
      }
    }
    return count === 0 ? valueError('No logical values') : decide(trues, count);
  }
}

const repeated = { parameters: [{ argumentType: FunctionArgumentType.ANY }], repeatLastArgs: 1, expandRanges: true };

LogicalPlugin.implementedFunctions = {
  AND: { method: 'and', ...repeated },
  OR: { method: 'or', ...repeated },
  XOR: { method: 'xor', ...repeated },
};

export default { plugin: LogicalPlugin };
