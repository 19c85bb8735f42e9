// The arguments XLOOKUP and XMATCH share: match_mode and search_mode, and the
// one-row or one-column array they search.

import { dimensions, isOmitted, lineOf } from './lookup-array.mjs';
import { isError, toNumber, valueError } from './lookup-values.mjs';

/** {match, search} from the optional mode arguments (omitted or empty: 0 and 1), or an error. */
export function modesOf(plugin, matchAst, searchAst, state) {
  const match = isOmitted(matchAst) ? 0 : toNumber(plugin.evaluateAst(matchAst, state), plugin.arithmeticHelper);
  if (isError(match)) return match;
  const search = isOmitted(searchAst) ? 1 : toNumber(plugin.evaluateAst(searchAst, state), plugin.arithmeticHelper);
  if (isError(search)) return search;
  const m = Math.trunc(match);
  const s = Math.trunc(search);
  if (![0, -1, 1, 2, 3].includes(m) || ![1, -1, 2, -2].includes(s)) return valueError('Invalid match_mode or search_mode');
  if ((m === 2 || m === 3) && (s === 2 || s === -2)) return valueError('Wildcards need a linear search');
  return { match: m, search: s };
}

/** {values, vertical} of a one-row or one-column array (a scalar is one cell), else #VALUE!. */
export function searchVector(plugin, array) {
  if (isError(array)) return array;
  const [height, width] = dimensions(array);
  if (height > 1 && width > 1) return valueError('lookup_array must be one row or one column');
  const vertical = width === 1;
  return { values: lineOf(plugin, array, vertical ? 'col' : 'row', 0), vertical, length: vertical ? height : width };
}
