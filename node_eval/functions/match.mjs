// MATCH as Excel computes it. Replaces HyperFormula's built-in, which differs:
// its approximate searches compare values of every kind with one another (Excel
// only compares values of the key's kind), match_type -1 is a binary search
// (Excel scans from the top and stops at the first value below the key, so
// ascending data finds the last item only when every item is >= the key), and
// match_type must be exactly -1, 0 or 1 (Excel takes its sign).
//
// Excel: lookup_array must be one row or one column (else #N/A); lookup_value
// blank counts as 0, an error is the result; match_type omitted is 1, an empty
// argument 0. 1: binary search for the largest value <= key (last of equals);
// 0: first equal value (text case-insensitive, * ? ~ wildcards); -1: smallest
// value >= key in descending data. Not found: #N/A. Arrays as lookup_value or
// match_type give an array of positions.

import { EmptyValue, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { dimensions, evaluateReference, isOmitted, lift, lineOf } from './lib/lookup-array.mjs';
import { approximateMatch, descendingMatch, exactMatch } from './lib/lookup-search.mjs';
import { isError, naError, toNumber, valueError } from './lib/lookup-values.mjs';

class MatchPlugin extends FunctionPlugin {
  match(ast, state) {
    if (ast.args.length < 2 || ast.args.length > 3) return naError('Wrong number of arguments');
    const key = this.evaluateAst(ast.args[0], state);
    const array = evaluateReference(this, ast.args[1], state);
    const type = ast.args.length < 3 ? 1 : isOmitted(ast.args[2]) ? 0 : this.evaluateAst(ast.args[2], state);
    return lift([key, type], [true, true], (k, t) => this.matchOne(k, array, t));
  }

  matchOne(key, array, typeValue) {
    if (isError(key)) return key;
    if (isError(array)) return array;
    if (typeof array === 'string') return valueError('lookup_array is text');
    const type = toNumber(typeValue, this.arithmeticHelper);
    if (isError(type)) return type;
    const [height, width] = dimensions(array);
    if (height > 1 && width > 1) return naError('lookup_array must be one row or one column');
    const values = lineOf(this, array, width > 1 ? 'row' : 'col', 0);
    const searchKey = key === EmptyValue ? 0 : key;
    const mode = Math.sign(Math.trunc(type));
    const found =
      mode > 0
        ? approximateMatch(values, searchKey)
        : mode < 0
          ? descendingMatch(values, searchKey)
          : exactMatch(values, searchKey, { wildcards: true });
    return found < 0 ? naError('Value not found') : found + 1;
  }
}

MatchPlugin.implementedFunctions = {
  MATCH: {
    method: 'match',
    parameters: [
      { argumentType: FunctionArgumentType.NOERROR },
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
    ],
  },
};

export default { plugin: MatchPlugin };
