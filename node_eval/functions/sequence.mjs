// SEQUENCE as Excel computes it. Replaces HyperFormula's built-in, which rejects
// an empty rows argument (Excel: SEQUENCE(,12) is one row) and answers #VALUE!
// for 0 rows (Excel: #CALC!, an empty array).
//
// Excel: SEQUENCE(rows, [columns], [start], [step]) fills rows x columns row by
// row with start, start+step, ...; rows and columns are truncated, omitted or
// empty mean 1, negative is #VALUE!, 0 is #CALC!, more than the sheet #VALUE!;
// start and step default to 1. Errors in the arguments propagate.

import { FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { isOmitted } from './lib/lookup-array.mjs';
import { SCALAR, UNKNOWN, exactSize, fitSpill, literalNumber, sizeResult } from './lib/lookup-size.mjs';
import { calcError, isError, isRange, naError, toNumber, valueError } from './lib/lookup-values.mjs';

class SequencePlugin extends FunctionPlugin {
  sequence(ast, state) {
    if (ast.args.length < 1 || ast.args.length > 4) return naError('Wrong number of arguments');
    const number = (i) => {
      if (isOmitted(ast.args[i])) return 1;
      const value = this.evaluateAst(ast.args[i], state);
      if (isRange(value)) return value.height() * value.width() === 1 ? toNumber(value.data[0][0], this.arithmeticHelper) : valueError('Expected one number');
      return toNumber(value, this.arithmeticHelper);
    };
    const [rows, columns, start, step] = [0, 1, 2, 3].map(number);
    for (const value of [rows, columns, start, step]) if (isError(value)) return value;
    const r = Math.trunc(rows);
    const c = Math.trunc(columns);
    if (r < 0 || c < 0) return valueError('rows and columns must not be negative');
    if (r === 0 || c === 0) return calcError('Empty array');
    if (r > 1048576 || c > 16384) return valueError('Larger than a sheet');
    const data = [];
    for (let i = 0; i < r; i++) {
      const row = new Array(c);
      for (let j = 0; j < c; j++) row[j] = start + (i * c + j) * step;
      data.push(row);
    }
    return fitSpill(ast, state, SimpleRangeValue.onlyNumbers(data));
  }

  /** Exact when rows and columns are written in the formula; otherwise known from the values only. */
  sequenceSize(ast, state) {
    const rows = literalNumber(ast.args[0], 1);
    const cols = literalNumber(ast.args[1], 1);
    if (rows === undefined || cols === undefined) return sizeResult(UNKNOWN, state);
    const r = Math.trunc(rows);
    const c = Math.trunc(cols);
    return sizeResult(r >= 1 && c >= 1 ? exactSize(r, c) : SCALAR, state);
  }
}

SequencePlugin.implementedFunctions = {
  SEQUENCE: {
    method: 'sequence',
    sizeOfResultArrayMethod: 'sequenceSize',
    parameters: [
      { argumentType: FunctionArgumentType.NUMBER },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
    ],
    vectorizationForbidden: true,
  },
};

export default { plugin: SequencePlugin };
