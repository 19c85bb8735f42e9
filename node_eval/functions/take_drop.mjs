// TAKE and DROP, which HyperFormula 3.5.0 lacks.
//
// Excel: TAKE(array, rows, [columns]) keeps the first rows (or the last, for a
// negative number) and columns; DROP(array, rows, [columns]) removes them.
// Numbers are truncated; an omitted or empty count keeps every row/column; more
// than there are means all. TAKE with 0, or DROP removing everything, is an
// empty array: #CALC!. Errors in the arguments propagate.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { arrayResult, optionalInteger, rowsOf, unwrap } from './lib/lookup-array.mjs';
import { SCALAR, boundedSize, exactSize, fitSpill, literalNumber, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { calcError, isError, naError } from './lib/lookup-values.mjs';

/** [start, end) kept of `length` items for TAKE (`take`) or DROP with `count` (undefined: all). */
function span(length, count, take) {
  if (count === undefined) return [0, length];
  const n = Math.min(Math.abs(count), length);
  if (take) return count >= 0 ? [0, n] : [length - n, length];
  return count >= 0 ? [n, length] : [0, length - n];
}

class TakeDropPlugin extends FunctionPlugin {
  take(ast, state) {
    return fitSpill(ast, state, this.slice(ast, state, true));
  }

  drop(ast, state) {
    return fitSpill(ast, state, this.slice(ast, state, false));
  }

  slice(ast, state, take) {
    if (ast.args.length < 2 || ast.args.length > 3) return naError('Wrong number of arguments');
    const array = this.evaluateAst(ast.args[0], state);
    if (isError(array)) return array;
    const rows = optionalInteger(this, ast.args[1], state);
    if (isError(rows)) return rows;
    const columns = optionalInteger(this, ast.args[2], state);
    if (isError(columns)) return columns;
    if (take && (rows === 0 || columns === 0)) return calcError('Nothing to take');
    const data = rowsOf(array);
    const [r0, r1] = span(data.length, rows, take);
    const [c0, c1] = span(data[0].length, columns, take);
    if (r1 <= r0 || c1 <= c0) return calcError('Nothing left');
    return arrayResult(data.slice(r0, r1).map((row) => row.slice(c0, c1)));
  }

  takeSize(ast, state) {
    return this.sliceSize(ast, state, true);
  }

  dropSize(ast, state) {
    return this.sliceSize(ast, state, false);
  }

  /** Exact when the counts are written in the formula (and the array's size is known); else at most the array. */
  sliceSize(ast, state, take) {
    if (ast.args.length < 2) return sizeResult(SCALAR, state);
    const size = sizeOf(this, ast.args[0], state);
    const count = (arg, length) => {
      if (arg === undefined || unwrap(arg).type === 'EMPTY') return length;
      const n = literalNumber(arg, undefined);
      if (n === undefined) return undefined;
      const [start, end] = span(length, Math.trunc(n), take);
      return Math.max(1, end - start);
    };
    const rows = count(ast.args[1], size.rows);
    const cols = count(ast.args[2], size.cols);
    if (size.exact && rows !== undefined && cols !== undefined) return sizeResult(exactSize(rows, cols), state);
    return sizeResult(boundedSize(rows ?? size.rows, cols ?? size.cols), state);
  }
}

const sliceParameters = [
  { argumentType: FunctionArgumentType.RANGE },
  { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
  { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
];

TakeDropPlugin.implementedFunctions = {
  TAKE: { method: 'take', sizeOfResultArrayMethod: 'takeSize', parameters: sliceParameters, vectorizationForbidden: true },
  DROP: { method: 'drop', sizeOfResultArrayMethod: 'dropSize', parameters: sliceParameters, vectorizationForbidden: true },
};

export default { plugin: TakeDropPlugin };
