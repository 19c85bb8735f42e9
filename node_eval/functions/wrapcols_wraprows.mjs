// WRAPCOLS and WRAPROWS, which HyperFormula 3.5.0 lacks.
//
// Excel: WRAPROWS(vector, wrap_count, [pad_with]) lays a one-row or one-column
// vector out in rows of wrap_count values (WRAPCOLS: in columns), the last one
// padded with pad_with (default #N/A); never wider (WRAPCOLS: taller) than the
// vector is long. A 2-D array is #VALUE!, wrap_count < 1 #NUM! (truncated);
// errors in the arguments propagate, errors inside the vector are kept.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { arrayResult, isOmitted, optionalInteger, resultValue, rowsOf } from './lib/lookup-array.mjs';
import { SCALAR, UNKNOWN, exactSize, fitSpill, literalNumber, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { isError, naError, numError, valueError } from './lib/lookup-values.mjs';

class WrapPlugin extends FunctionPlugin {
  wrapcols(ast, state) {
    return fitSpill(ast, state, this.wrap(ast, state, true));
  }

  wraprows(ast, state) {
    return fitSpill(ast, state, this.wrap(ast, state, false));
  }

  wrap(ast, state, byColumns) {
    if (ast.args.length < 2 || ast.args.length > 3) return naError('Wrong number of arguments');
    const vector = this.evaluateAst(ast.args[0], state);
    if (isError(vector)) return vector;
    const count = optionalInteger(this, ast.args[1], state);
    if (isError(count)) return count;
    if (count === undefined || count < 1) return numError('wrap_count must be at least 1');
    const pad = isOmitted(ast.args[2]) ? naError('Padding') : resultValue(this.evaluateAst(ast.args[2], state));
    const data = rowsOf(vector);
    if (data.length > 1 && data[0].length > 1) return valueError('The vector must be one row or one column');
    const values = data.length === 1 ? data[0] : data.map((row) => row[0]);
    const across = Math.min(count, values.length);
    const lines = Math.ceil(values.length / count);
    const rows = [];
    for (let line = 0; line < lines; line++) {
      const chunk = values.slice(line * count, line * count + count);
      while (chunk.length < across) chunk.push(pad);
      rows.push(chunk);
    }
    return arrayResult(byColumns ? transpose(rows) : rows);
  }

  wrapcolsSize(ast, state) {
    return this.wrapSize(ast, state, true);
  }

  wraprowsSize(ast, state) {
    return this.wrapSize(ast, state, false);
  }

  wrapSize(ast, state, byColumns) {
    if (ast.args.length < 2) return sizeResult(SCALAR, state);
    const size = sizeOf(this, ast.args[0], state);
    const count = Math.trunc(literalNumber(ast.args[1], NaN));
    if (!size.exact || !(count >= 1)) return sizeResult(UNKNOWN, state);
    const length = Math.max(size.rows, size.cols);
    const across = Math.min(count, length);
    const lines = Math.ceil(length / count);
    return sizeResult(byColumns ? exactSize(across, lines) : exactSize(lines, across), state);
  }
}

function transpose(rows) {
  return rows[0].map((_, c) => rows.map((row) => row[c]));
}

const wrapParameters = [
  { argumentType: FunctionArgumentType.RANGE },
  { argumentType: FunctionArgumentType.NUMBER },
  { argumentType: FunctionArgumentType.ANY, optionalArg: true },
];

WrapPlugin.implementedFunctions = {
  WRAPCOLS: { method: 'wrapcols', sizeOfResultArrayMethod: 'wrapcolsSize', parameters: wrapParameters, vectorizationForbidden: true },
  WRAPROWS: { method: 'wraprows', sizeOfResultArrayMethod: 'wraprowsSize', parameters: wrapParameters, vectorizationForbidden: true },
};

export default { plugin: WrapPlugin };
