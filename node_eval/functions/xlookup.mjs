// XLOOKUP as Excel computes it. Replaces HyperFormula's built-in, which differs:
// an empty if_not_found argument returns blank (Excel: #N/A), its approximate
// and binary modes compare values of every kind and return the wrong one of
// repeated keys, a blank lookup value is 0 (Excel matches blank cells), and it
// returns values instead of a reference.
//
// Excel: XLOOKUP(lookup_value, lookup_array, return_array, [if_not_found],
// [match_mode], [search_mode]). lookup_array is one row or one column (else
// #VALUE!); return_array must have as many rows (vertical) or columns
// (horizontal), else #VALUE!, and the matching row or column of it is returned,
// as a reference. Modes as XMATCH: match 0 exact, -1 next smaller, 1 next larger,
// 2 wildcards, 3 regular expression; search 1, -1, 2 (binary ascending, the first
// of equal keys), -2 (binary descending, the last). Not found: if_not_found
// when given and not empty, else #N/A. A blank result cell is 0.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { dimensions, evaluateReference, isOmitted, lift, resultValue, subArray } from './lib/lookup-array.mjs';
import { SCALAR, UNKNOWN, exactSize, fitSpill, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { modesOf, searchVector } from './lib/lookup-xsearch.mjs';
import { xSearch } from './lib/lookup-search.mjs';
import { isError, isRange, naError, valueError } from './lib/lookup-values.mjs';

class XLookupPlugin extends FunctionPlugin {
  xlookup(ast, state) {
    if (ast.args.length < 3 || ast.args.length > 6) return naError('Wrong number of arguments');
    const key = this.evaluateAst(ast.args[0], state);
    const array = this.evaluateAst(ast.args[1], state);
    const returned = evaluateReference(this, ast.args[2], state);
    const modes = modesOf(this, ast.args[4], ast.args[5], state);
    const notFound = () => (isOmitted(ast.args[3]) ? naError('Value not found') : evaluateReference(this, ast.args[3], state));
    const result = lift([key], [true], (k) => this.lookupOne(k, array, returned, modes, notFound));
    return fitSpill(ast, state, result);
  }

  lookupOne(key, array, returned, modes, notFound) {
    if (isError(key)) return key;
    if (isError(modes)) return modes;
    const vector = searchVector(this, array);
    if (isError(vector)) return vector;
    if (isError(returned)) return returned;
    if (!isRange(returned)) return valueError('return_array must be a range or an array');
    const [height, width] = dimensions(returned);
    // A one-cell lookup_array is vertical when return_array has one row.
    const vertical = vector.length === 1 ? height === 1 : vector.vertical;
    if ((vertical ? height : width) !== vector.length) return valueError('return_array does not fit lookup_array');
    const found = xSearch(vector.values, key, modes.match, modes.search);
    if (found < 0) return notFound();
    const picked = vertical ? subArray(this, returned, found, 0, 1, width) : subArray(this, returned, 0, found, height, 1);
    return isRange(picked) && picked.width() * picked.height() === 1 ? resultValue(picked.data[0][0]) : picked;
  }

  /** One row of return_array (vertical lookup) or one column; a lookup array lifts. */
  xlookupSize(ast, state) {
    if (ast.args.length < 3) return sizeResult(SCALAR, state);
    const keys = sizeOf(this, ast.args[0], state);
    if (!keys.exact || keys.rows > 1 || keys.cols > 1) return sizeResult(keys, state);
    const lookup = sizeOf(this, ast.args[1], state);
    const returned = sizeOf(this, ast.args[2], state);
    if (!lookup.exact || !returned.exact) return sizeResult(UNKNOWN, state);
    const vertical = lookup.cols === 1 && (lookup.rows > 1 || returned.rows === 1);
    return sizeResult(vertical ? exactSize(1, returned.cols) : exactSize(returned.rows, 1), state);
  }
}

XLookupPlugin.implementedFunctions = {
  XLOOKUP: {
    method: 'xlookup',
    sizeOfResultArrayMethod: 'xlookupSize',
    parameters: [
      { argumentType: FunctionArgumentType.NOERROR },
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.ANY, optionalArg: true },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
    ],
  },
};

export default { plugin: XLookupPlugin };
