// LOOKUP (vector and array forms), which HyperFormula 3.5.0 lacks.
//
// Excel: always an approximate match, a binary search for the largest value <=
// lookup_value among the values of its kind (blanks, errors and other kinds are
// passed over); a blank lookup_value counts as 0, an error is the result.
// Vector form LOOKUP(v, lookup_vector, result_vector): the position found in
// lookup_vector (its first column, or first row when wider than tall) picks the
// same position in result_vector, a row or column (a 2-D result_vector is #N/A);
// a result reference shorter than needed extends past its end, as in Excel.
// Array form LOOKUP(v, array): searches the first row when the array is wider
// than tall, else the first column, and returns from the last row/column.
// Not found: #N/A. A blank result cell is 0.

import { EmptyValue, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { cellOf, dimensions, evaluateReference, lift, lineOf, resultValue } from './lib/lookup-array.mjs';
import { approximateMatch } from './lib/lookup-search.mjs';
import { isError, isRange, naError } from './lib/lookup-values.mjs';

class LookupPlugin extends FunctionPlugin {
  lookup(ast, state) {
    if (ast.args.length < 2 || ast.args.length > 3) return naError('Wrong number of arguments');
    const key = this.evaluateAst(ast.args[0], state);
    const vector = this.evaluateAst(ast.args[1], state);
    const result = ast.args.length === 3 ? evaluateReference(this, ast.args[2], state) : undefined;
    return lift([key], [true], (k) => this.lookupOne(k, vector, result));
  }

  lookupOne(key, vector, result) {
    if (isError(key)) return key;
    if (isError(vector)) return vector;
    if (isError(result)) return result;
    const [height, width] = dimensions(vector);
    const axis = width > height ? 'row' : 'col'; // search along the longer side
    const keys = lineOf(this, vector, axis, 0);
    const found = approximateMatch(keys, key === EmptyValue ? 0 : key);
    if (found < 0) return naError('Value not found');
    if (result === undefined) {
      return resultValue(axis === 'row' ? cellOf(this, vector, height - 1, found) : cellOf(this, vector, found, width - 1));
    }
    return resultValue(this.resultAt(result, found, axis));
  }

  /** Position `index` of result_vector: along its length, or the lookup's direction for one cell. */
  resultAt(result, index, lookupAxis) {
    const [height, width] = dimensions(result);
    if (height > 1 && width > 1) return naError('result_vector must be a row or a column');
    const vertical = height > 1 || (width === 1 && lookupAxis === 'col');
    if (index < (vertical ? height : width)) return vertical ? cellOf(this, result, index, 0) : cellOf(this, result, 0, index);
    if (!isRange(result) || result.range === undefined) return naError('Position beyond result_vector');
    const { sheet, start } = result.range;
    const address = vertical ? { sheet, col: start.col, row: start.row + index } : { sheet, col: start.col + index, row: start.row };
    const value = this.dependencyGraph.getCellValue(address);
    return isRange(value) ? value.data[0][0] : value;
  }
}

LookupPlugin.implementedFunctions = {
  LOOKUP: {
    method: 'lookup',
    parameters: [
      { argumentType: FunctionArgumentType.NOERROR },
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.RANGE, optionalArg: true },
    ],
  },
};

export default { plugin: LookupPlugin };
