// TEXTSPLIT(text, col_delimiter, [row_delimiter], [ignore_empty], [match_mode], [pad_with]).
//
// HyperFormula has no TEXTSPLIT. Excel splits the text into rows at any row delimiter,
// then each row into columns at any column delimiter (each may be an array of
// delimiters); ignore_empty drops empty pieces; match_mode 1 ignores case; short rows
// are padded with pad_with (default #N/A). No delimiter at all, or an empty one, is
// #VALUE!. The result spills; its size is known early only when its inputs are
// constants (see lib/text-static.mjs).

import { CellError, EmptyValue, ErrorType, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { flatten, isError, raw, toBoolean, toNumber, toText, valueError } from './lib/text-args.mjs';
import { splitAll } from './lib/text-delimit.mjs';
import { predictedSize } from './lib/text-static.mjs';

const TEXT = { argumentType: FunctionArgumentType.NOERROR };
const DELIMITER = { argumentType: FunctionArgumentType.ANY, optionalArg: true };
const OPTIONAL = { argumentType: FunctionArgumentType.NOERROR, optionalArg: true };
const PAD = { argumentType: FunctionArgumentType.SCALAR, optionalArg: true };

/** The delimiters of an argument ([] when omitted or empty), or an error. */
function delimitersOf(arg) {
  if (arg === undefined || arg === EmptyValue) return [];
  const out = [];
  for (const value of flatten(arg)) {
    const t = toText(value);
    if (isError(t)) return t;
    if (t === '') return valueError('Empty delimiter.');
    out.push(t);
  }
  return out;
}

/** TEXTSPLIT on coerced arguments: a value or a SimpleRangeValue. */
export function textsplit(config, text, colArg, rowArg, ignoreArg, modeArg, padArg) {
  const t = toText(text);
  if (isError(t)) return t;
  const cols = delimitersOf(colArg);
  if (isError(cols)) return cols;
  const rowsDelims = delimitersOf(rowArg);
  if (isError(rowsDelims)) return rowsDelims;
  if (cols.length === 0 && rowsDelims.length === 0) return valueError('No delimiter.');
  const ignore = ignoreArg === undefined ? false : toBoolean(ignoreArg);
  if (isError(ignore)) return ignore;
  const mode = modeArg === undefined ? 0 : toNumber(modeArg, config);
  if (isError(mode)) return mode;
  if (![0, 1].includes(Math.trunc(mode))) return valueError('match_mode must be 0 or 1.');
  const ignoreCase = Math.trunc(mode) === 1;
  const pad = padArg === undefined ? new CellError(ErrorType.NA, 'Padding.') : raw(padArg);
  const keep = (parts) => (ignore ? parts.filter((p) => p !== '') : parts);
  const table = keep(splitAll(t, rowsDelims, ignoreCase))
    .map((line) => keep(splitAll(line, cols, ignoreCase)))
    .filter((row) => row.length > 0);
  if (table.length === 0) return new CellError('CALC', 'Empty result.');
  const width = table.reduce((w, row) => Math.max(w, row.length), 0);
  const data = table.map((row) => [...row, ...Array(width - row.length).fill(pad === EmptyValue ? '' : pad)]);
  return data.length === 1 && width === 1 ? data[0][0] : SimpleRangeValue.onlyValues(data);
}

class TextSplitPlugin extends FunctionPlugin {
  textsplit(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('TEXTSPLIT'), (...args) => textsplit(this.config, ...args));
  }

  textsplitArraySize(ast, state) {
    return predictedSize(this, ast, state, (values) => {
      if (values.some((v) => v instanceof CellError)) return undefined;
      const [text, ...rest] = values;
      if (text instanceof SimpleRangeValue) return undefined;
      return textsplit(this.config, text, ...rest);
    });
  }
}

TextSplitPlugin.implementedFunctions = {
  TEXTSPLIT: {
    method: 'textsplit',
    parameters: [TEXT, DELIMITER, DELIMITER, OPTIONAL, OPTIONAL, PAD],
    vectorizationForbidden: true,
    sizeOfResultArrayMethod: 'textsplitArraySize',
  },
};

export default { plugin: TextSplitPlugin };
