// CHOOSECOLS and CHOOSEROWS, which HyperFormula 3.5.0 lacks.
//
// Excel: CHOOSECOLS(array, col_num1, [col_num2], ...) returns the listed columns
// in the order given (repeats allowed); a negative number counts from the end;
// 0 or beyond the array is #VALUE!. Each col_num may itself be an array of
// numbers. CHOOSEROWS likewise with rows. Errors in the arguments propagate.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { arrayResult, rowsOf } from './lib/lookup-array.mjs';
import { SCALAR, UNKNOWN, exactSize, fitSpill, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { isError, isRange, naError, toNumber, valueError } from './lib/lookup-values.mjs';

class ChooseColsRowsPlugin extends FunctionPlugin {
  choosecols(ast, state) {
    return fitSpill(ast, state, this.pick(ast, state, true));
  }

  chooserows(ast, state) {
    return fitSpill(ast, state, this.pick(ast, state, false));
  }

  pick(ast, state, columns) {
    if (ast.args.length < 2) return naError('Wrong number of arguments');
    const array = this.evaluateAst(ast.args[0], state);
    if (isError(array)) return array;
    const data = rowsOf(array);
    const length = columns ? data[0].length : data.length;
    const picked = [];
    for (const argAst of ast.args.slice(1)) {
      const value = this.evaluateAst(argAst, state);
      const numbers = isRange(value) ? value.data.flat() : [value];
      for (const item of numbers) {
        const number = toNumber(item, this.arithmeticHelper);
        if (isError(number)) return number;
        const n = Math.trunc(number);
        if (n === 0 || Math.abs(n) > length) return valueError('Index is 0 or beyond the array');
        picked.push(n > 0 ? n - 1 : length + n);
      }
    }
    const rows = columns ? data.map((row) => picked.map((c) => row[c])) : picked.map((r) => data[r]);
    return arrayResult(rows);
  }

  choosecolsSize(ast, state) {
    return this.pickSize(ast, state, true);
  }

  chooserowsSize(ast, state) {
    return this.pickSize(ast, state, false);
  }

  /** One column (row) per index given; the other side as the array. */
  pickSize(ast, state, columns) {
    if (ast.args.length < 2) return sizeResult(SCALAR, state);
    const size = sizeOf(this, ast.args[0], state);
    let count = 0;
    let exact = size.exact;
    for (const arg of ast.args.slice(1)) {
      const s = sizeOf(this, arg, state);
      count += s.rows * s.cols;
      exact = exact && s.exact;
    }
    if (!exact) return sizeResult(UNKNOWN, state);
    return sizeResult(columns ? exactSize(size.rows, count) : exactSize(count, size.cols), state);
  }
}

const pickParameters = [{ argumentType: FunctionArgumentType.RANGE }, { argumentType: FunctionArgumentType.RANGE }];

ChooseColsRowsPlugin.implementedFunctions = {
  CHOOSECOLS: { method: 'choosecols', sizeOfResultArrayMethod: 'choosecolsSize', parameters: pickParameters, repeatLastArgs: 1 },
  CHOOSEROWS: { method: 'chooserows', sizeOfResultArrayMethod: 'chooserowsSize', parameters: pickParameters, repeatLastArgs: 1 },
};

export default { plugin: ChooseColsRowsPlugin };
