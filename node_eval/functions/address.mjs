// ADDRESS as Excel computes it. Replaces HyperFormula's built-in, which does not
// truncate the row and column numbers (ADDRESS(23.4,34.7) gives "R23.4C[34.7]"),
// returns #NUM! where Excel returns #VALUE!, and never quotes a sheet name.
//
// Excel: ADDRESS(row_num, column_num, [abs_num], [a1], [sheet_text]). Numbers are
// truncated; the row must be 1..1048576 and the column 1..16384 (else #VALUE!);
// abs_num 1 ($A$1, default), 2 (A$1), 3 ($A1), 4 (A1), other values #VALUE!;
// a1 FALSE gives R1C1 style, relative parts in brackets (R[2]C3). sheet_text is
// prefixed with "!", in single quotes (inner quotes doubled) unless it is a
// plain name (letters, digits, _ . and a [Book] prefix, not starting with a
// digit, not looking like a cell address). Arrays of arguments give arrays of addresses.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { isOmitted, lift } from './lib/lookup-array.mjs';
import { isError, naError, toBoolean, toNumber, toText, valueError } from './lib/lookup-values.mjs';

class AddressPlugin extends FunctionPlugin {
  address(ast, state) {
    if (ast.args.length < 2 || ast.args.length > 5) return naError('Wrong number of arguments');
    const arg = (i, omitted) => (isOmitted(ast.args[i]) ? omitted : this.evaluateAst(ast.args[i], state));
    const args = [arg(0, 0), arg(1, 0), arg(2, 1), arg(3, true), arg(4, undefined)];
    return lift(args, [true, true, true, true, true], (row, col, abs, a1, sheet) => this.addressOne(row, col, abs, a1, sheet));
  }

  addressOne(rowValue, colValue, absValue, a1Value, sheetValue) {
    const row = toNumber(rowValue, this.arithmeticHelper);
    if (isError(row)) return row;
    const col = toNumber(colValue, this.arithmeticHelper);
    if (isError(col)) return col;
    const abs = toNumber(absValue, this.arithmeticHelper);
    if (isError(abs)) return abs;
    const a1 = toBoolean(a1Value);
    if (isError(a1)) return a1;
    const sheet = sheetValue === undefined ? undefined : toText(sheetValue);
    if (isError(sheet)) return sheet;
    const r = Math.trunc(row);
    const c = Math.trunc(col);
    const mode = Math.trunc(abs);
    if (mode < 1 || mode > 4) return valueError('abs_num must be 1 to 4');
    if (r < 1 || r > 1048576 || c < 1 || c > 16384) return valueError('Row or column out of range');
    const absoluteRow = mode === 1 || mode === 2;
    const absoluteCol = mode === 1 || mode === 3;
    const cell = a1
      ? `${absoluteCol ? '$' : ''}${columnLetters(c)}${absoluteRow ? '$' : ''}${r}`
      : `R${absoluteRow ? r : `[${r}]`}C${absoluteCol ? c : `[${c}]`}`;
    return sheet === undefined || sheet === '' ? cell : `${quoteSheet(sheet)}!${cell}`;
  }
}

function columnLetters(col) {
  let letters = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function quoteSheet(name) {
  const plain = /^[\p{L}_\[][\p{L}\p{N}_.\[\]]*$/u.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name) && !/^[Rr]\d*[Cc]\d*$/.test(name);
  return plain ? name : `'${name.replace(/'/g, "''")}'`;
}

AddressPlugin.implementedFunctions = {
  ADDRESS: {
    method: 'address',
    parameters: [
      { argumentType: FunctionArgumentType.NUMBER },
      { argumentType: FunctionArgumentType.NUMBER },
      { argumentType: FunctionArgumentType.NUMBER, optionalArg: true },
      { argumentType: FunctionArgumentType.BOOLEAN, optionalArg: true },
      { argumentType: FunctionArgumentType.STRING, optionalArg: true },
    ],
  },
};

export default { plugin: AddressPlugin };
