// EXPAND, which HyperFormula 3.5.0 lacks.
//
// Excel: EXPAND(array, rows, [columns], [pad_with]) grows array to rows x columns,
// filling new cells with pad_with (default #N/A). An omitted or empty count keeps
// that side; counts are truncated; fewer than the array has is #VALUE!. Errors
// in the arguments propagate.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { arrayResult, isOmitted, optionalInteger, resultValue, rowsOf } from './lib/lookup-array.mjs';
import { SCALAR, UNKNOWN, exactSize, fitSpill, literalNumber, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { isError, naError, valueError } from './lib/lookup-values.mjs';

class ExpandPlugin extends FunctionPlugin {
  expand(ast, state) {
    if (ast.args.length < 2 || ast.args.length > 4) return naError('Wrong number of arguments');
    const array = this.evaluateAst(ast.args[0], state);
    if (isError(array)) return array;
    const data = rowsOf(array);
    const rows = optionalInteger(this, ast.args[1], state) ?? data.length;
    if (isError(rows)) return rows;
    const columns = optionalInteger(this, ast.args[2], state) ?? data[0].length;
    if (isError(columns)) return columns;
    if (rows < data.length || columns < data[0].length) return valueError('Cannot shrink the array');
    const pad = isOmitted(ast.args[3]) ? naError('Padding') : resultValue(this.evaluateAst(ast.args[3], state));
    const result = [];
    for (let r = 0; r < rows; r++) {
      const row = [];
      for (let c = 0; c < columns; c++) row.push(r < data.length && c < data[0].length ? data[r][c] : pad);
      result.push(row);
    }
    return fitSpill(ast, state, arrayResult(result));
  }

  expandSize(ast, state) {
    if (ast.args.length < 2) return sizeResult(SCALAR, state);
    const size = sizeOf(this, ast.args[0], state);
    const rows = literalNumber(ast.args[1], size.rows);
    const cols = literalNumber(ast.args[2], size.cols);
    if (!size.exact || rows === undefined || cols === undefined) return sizeResult(UNKNOWN, state);
    return sizeResult(exactSize(Math.max(Math.trunc(rows), size.rows), Math.max(Math.trunc(cols), size.cols)), state);
  }
}

ExpandPlugin.implementedFunctions = {
  EXPAND: {
    method: 'expand',
    sizeOfResultArrayMethod: 'expandSize',
    parameters: [
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
      { argumentType: FunctionArgumentType.ANY, optionalArg: true },
    ],
    vectorizationForbidden: true,
  },
};

export default { plugin: ExpandPlugin };
