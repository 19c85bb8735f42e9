// INDEX as Excel computes it. Replaces HyperFormula's built-in, which only picks
// single cells: Excel's row_num or column_num 0 selects a whole column or row, a
// single index picks along a one-row or one-column range, the indices are
// truncated, out-of-range is #REF! (not #NUM!) and negative #VALUE!, and the
// result is a reference (so ROW(INDEX(...)) and SUM(INDEX(...,0,2)) work).
//
// Excel: INDEX(array, row_num, [column_num], [area_num]). For a one-row array a
// lone index is the column; for one column (or a 2-D array) it is the row, the
// column being omitted = 0 (the whole row). 0 means all rows / all columns.
// Indices are coerced to numbers and truncated; < 0 #VALUE!, beyond the array
// #REF!; area_num other than 1 is #REF! (one area only); errors propagate.
// Arrays of indices give an array of cells.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { dimensions, evaluateReference, isOmitted, lift, subArray, unwrap } from './lib/lookup-array.mjs';
import { SCALAR, boundedSize, broadcastSize, exactSize, fitSpill, isTopLevel, literalNumber, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { isError, naError, refError, toNumber, valueError } from './lib/lookup-values.mjs';

class IndexPlugin extends FunctionPlugin {
  index(ast, state) {
    if (ast.args.length < 2 || ast.args.length > 4) return naError('Wrong number of arguments');
    const array = evaluateReference(this, ast.args[0], state);
    const row = isOmitted(ast.args[1]) ? 0 : this.evaluateAst(ast.args[1], state);
    const columnGiven = ast.args.length >= 3 && !isOmitted(ast.args[2]);
    const column = columnGiven ? this.evaluateAst(ast.args[2], state) : undefined;
    const area = ast.args.length === 4 && !isOmitted(ast.args[3]) ? this.evaluateAst(ast.args[3], state) : 1;
    const result = lift([row, column, area], [true, true, true], (r, c, a) => this.indexOne(array, r, c, a, ast.args.length >= 3));
    return fitSpill(ast, state, result);
  }

  indexOne(array, rowValue, columnValue, areaValue, hasColumnArgument) {
    if (isError(array)) return array;
    const area = toNumber(areaValue, this.arithmeticHelper);
    if (isError(area)) return area;
    const row = toNumber(rowValue, this.arithmeticHelper);
    if (isError(row)) return row;
    const column = columnValue === undefined ? 0 : toNumber(columnValue, this.arithmeticHelper);
    if (isError(column)) return column;
    if (Math.trunc(area) !== 1) return Math.trunc(area) < 1 ? valueError('area_num < 1') : refError('Only one area');
    const [height, width] = dimensions(array);
    let r = Math.trunc(row);
    let c = Math.trunc(column);
    if (r < 0 || c < 0) return valueError('Negative index');
    if (!hasColumnArgument && height === 1 && width > 1) {
      // A one-row array: the lone index is the column.
      c = r;
      r = 0;
    }
    if (r > height || c > width) return refError('Index is beyond the array');
    return subArray(this, array, r === 0 ? 0 : r - 1, c === 0 ? 0 : c - 1, r === 0 ? height : 1, c === 0 ? width : 1);
  }

  /**
   * One cell for a formula's own result (a plain Excel formula reduces a selected row
   * or column to one cell; see isTopLevel); inside a function, the size of the
   * selection when its indices are written in the formula, else at most the array.
   */
  indexSize(ast, state) {
    if (ast.args.length < 2) return sizeResult(SCALAR, state);
    const lifted = broadcastSize(this, ast.args.slice(1), state);
    if (!lifted.exact || lifted.rows > 1 || lifted.cols > 1) return sizeResult(lifted, state);
    if (isTopLevel(state)) return sizeResult(SCALAR, state);
    const size = unwrap(ast.args[0]).type === 'CELL_REFERENCE' ? SCALAR : sizeOf(this, ast.args[0], state);
    const row = literalNumber(ast.args[1], 0);
    const column = ast.args.length >= 3 ? literalNumber(ast.args[2], 0) : 0;
    if (row === undefined || column === undefined) return sizeResult(boundedSize(size.rows, size.cols), state);
    let r = Math.trunc(row);
    let c = Math.trunc(column);
    if (ast.args.length < 3 && size.rows === 1 && size.cols > 1) {
      c = r;
      r = 0;
    }
    const rows = r === 0 ? size.rows : 1;
    const cols = c === 0 ? size.cols : 1;
    return sizeResult(size.exact ? exactSize(rows, cols) : boundedSize(rows, cols), state);
  }
}

IndexPlugin.implementedFunctions = {
  INDEX: {
    method: 'index',
    sizeOfResultArrayMethod: 'indexSize',
    parameters: [
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.NUMBER },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
    ],
  },
};

export default { plugin: IndexPlugin };
