// XMATCH, which HyperFormula 3.5.0 lacks.
//
// Excel: XMATCH(lookup_value, lookup_array, [match_mode], [search_mode]) is the
// 1-based position of lookup_value in a one-row or one-column lookup_array (2-D:
// #VALUE!). match_mode 0 exact (default; text ignores case, no wildcards), -1
// exact or next smaller, 1 exact or next larger, 2 wildcards * ? ~, 3 regular
// expression; search_mode 1 first to last (default), -1 last to first, 2 binary
// search on ascending data, -2 on descending data (wildcards with binary search
// #VALUE!). Other modes #VALUE!; not found #N/A; an error argument is the result.
// A blank lookup_value matches blank cells. An array of lookup values gives an
// array of positions.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { lift } from './lib/lookup-array.mjs';
import { modesOf, searchVector } from './lib/lookup-xsearch.mjs';
import { isError, naError } from './lib/lookup-values.mjs';
import { xSearch } from './lib/lookup-search.mjs';

class XMatchPlugin extends FunctionPlugin {
  xmatch(ast, state) {
    if (ast.args.length < 2 || ast.args.length > 4) return naError('Wrong number of arguments');
    const key = this.evaluateAst(ast.args[0], state);
    const array = this.evaluateAst(ast.args[1], state);
    const modes = modesOf(this, ast.args[2], ast.args[3], state);
    return lift([key], [true], (k) => {
      if (isError(k)) return k;
      if (isError(modes)) return modes;
      const vector = searchVector(this, array);
      if (isError(vector)) return vector;
      const found = xSearch(vector.values, k, modes.match, modes.search);
      return found < 0 ? naError('Value not found') : found + 1;
    });
  }
}

XMatchPlugin.implementedFunctions = {
  XMATCH: {
    method: 'xmatch',
    parameters: [
      { argumentType: FunctionArgumentType.NOERROR },
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
    ],
  },
};

export default { plugin: XMatchPlugin };
