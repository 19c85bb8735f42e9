// TOCOL and TOROW, which HyperFormula 3.5.0 lacks.
//
// Excel: TOCOL(array, [ignore], [scan_by_column]) lists the values of array in
// one column (TOROW: one row), row by row, or column by column when
// scan_by_column is TRUE. ignore: 0 keep everything (default; a blank cell
// shows 0), 1 skip blanks, 2 skip errors, 3 skip both; other values #VALUE!.
// Nothing left: #CALC!. Errors in the arguments propagate.

import { EmptyValue, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { arrayResult, isOmitted, optionalInteger, rowsOf } from './lib/lookup-array.mjs';
import { SCALAR, boundedSize, exactSize, fitSpill, literalNumber, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { isError, naError, toBoolean, valueError } from './lib/lookup-values.mjs';

class ToColRowPlugin extends FunctionPlugin {
  tocol(ast, state) {
    return fitSpill(ast, state, this.flatten(ast, state, true));
  }

  torow(ast, state) {
    return fitSpill(ast, state, this.flatten(ast, state, false));
  }

  flatten(ast, state, column) {
    if (ast.args.length < 1 || ast.args.length > 3) return naError('Wrong number of arguments');
    const array = this.evaluateAst(ast.args[0], state);
    if (isError(array)) return array;
    const ignore = optionalInteger(this, ast.args[1], state) ?? 0;
    if (isError(ignore)) return ignore;
    if (ignore < 0 || ignore > 3) return valueError('ignore must be 0 to 3');
    const byColumn = isOmitted(ast.args[2]) ? false : toBoolean(this.evaluateAst(ast.args[2], state));
    if (isError(byColumn)) return byColumn;
    const data = rowsOf(array);
    const values = [];
    const outer = byColumn ? data[0].length : data.length;
    const inner = byColumn ? data.length : data[0].length;
    for (let i = 0; i < outer; i++) {
      for (let j = 0; j < inner; j++) {
        const value = byColumn ? data[j][i] : data[i][j];
        if ((ignore & 1 && value === EmptyValue) || (ignore & 2 && isError(value))) continue;
        values.push(value);
      }
    }
    return arrayResult(column ? values.map((value) => [value]) : [values]);
  }

  tocolSize(ast, state) {
    return this.flatSize(ast, state, true);
  }

  torowSize(ast, state) {
    return this.flatSize(ast, state, false);
  }

  /** Every cell when nothing is ignored; otherwise at most that. */
  flatSize(ast, state, column) {
    if (ast.args.length < 1) return sizeResult(SCALAR, state);
    const size = sizeOf(this, ast.args[0], state);
    const count = size.rows * size.cols;
    const exact = size.exact && literalNumber(ast.args[1], 0) === 0;
    const make = exact ? exactSize : boundedSize;
    return sizeResult(column ? make(count, 1) : make(1, count), state);
  }
}

const flattenParameters = [
  { argumentType: FunctionArgumentType.RANGE },
  { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
  { argumentType: FunctionArgumentType.BOOLEAN, optionalArg: true },
];

ToColRowPlugin.implementedFunctions = {
  TOCOL: { method: 'tocol', sizeOfResultArrayMethod: 'tocolSize', parameters: flattenParameters, vectorizationForbidden: true },
  TOROW: { method: 'torow', sizeOfResultArrayMethod: 'torowSize', parameters: flattenParameters, vectorizationForbidden: true },
};

export default { plugin: ToColRowPlugin };
