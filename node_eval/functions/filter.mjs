// FILTER as Excel computes it. Replaces HyperFormula's built-in, which needs the
// include array to have the array's full shape (Excel: one column as tall as the
// array, or one row as wide), ignores if_empty and reads text as FALSE.
//
// Excel: FILTER(array, include, [if_empty]) keeps the rows whose include value
// (one column) is TRUE or a non-zero number, or the columns (one row); blank and
// 0 are FALSE, text #VALUE!, an error in include is the result. Nothing kept:
// if_empty when given, else #CALC!. A wrongly shaped include: #VALUE!.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { arrayResult, evaluateReference, isOmitted, rowsOf } from './lib/lookup-array.mjs';
import { SCALAR, boundedSize, fitSpill, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { TEXT, calcError, isError, kindOf, naError, toBoolean, valueError } from './lib/lookup-values.mjs';

class FilterPlugin extends FunctionPlugin {
  filter(ast, state) {
    if (ast.args.length < 2 || ast.args.length > 3) return naError('Wrong number of arguments');
    const array = this.evaluateAst(ast.args[0], state);
    if (isError(array)) return array;
    const include = this.evaluateAst(ast.args[1], state);
    if (isError(include)) return include;
    const data = rowsOf(array);
    const flags = rowsOf(include);
    let byRow;
    if (flags[0].length === 1 && flags.length === data.length) byRow = true;
    else if (flags.length === 1 && flags[0].length === data[0].length) byRow = false;
    else return valueError('include must be one column as tall as array or one row as wide');
    const keep = [];
    for (const value of byRow ? flags.map((row) => row[0]) : flags[0]) {
      if (isError(value)) return value;
      if (kindOf(value) === TEXT) return valueError('include holds text');
      keep.push(toBoolean(value) === true);
    }
    const rows = byRow ? data.filter((_, i) => keep[i]) : data.map((row) => row.filter((_, j) => keep[j]));
    if (rows.length === 0 || rows[0].length === 0) {
      return isOmitted(ast.args[2]) ? calcError('Nothing matches') : evaluateReference(this, ast.args[2], state);
    }
    return fitSpill(ast, state, arrayResult(rows));
  }

  /** At most the array's size; the values decide (the engine then takes the spill range from the file). */
  filterSize(ast, state) {
    const size = ast.args.length < 1 ? SCALAR : sizeOf(this, ast.args[0], state);
    return sizeResult(boundedSize(size.rows, size.cols), state);
  }
}

FilterPlugin.implementedFunctions = {
  FILTER: {
    method: 'filter',
    sizeOfResultArrayMethod: 'filterSize',
    parameters: [
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.ANY, optionalArg: true },
    ],
    vectorizationForbidden: true,
  },
};

export default { plugin: FilterPlugin };
