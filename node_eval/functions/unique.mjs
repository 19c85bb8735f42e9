// UNIQUE as Excel computes it. Replaces HyperFormula's built-in, which tells
// text apart by case (Excel: "a" and "A" are the same value).
//
// Excel: UNIQUE(array, [by_col], [exactly_once]) keeps the first of each group
// of equal rows (by_col TRUE: columns), in order; exactly_once TRUE keeps only
// the rows that occur once. Rows are equal when every value is: same kind,
// numbers by value, text ignoring case; blanks equal blanks. Nothing left:
// #CALC!. Errors in the arguments propagate.

import { EmptyValue, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { arrayResult, isOmitted, rowsOf } from './lib/lookup-array.mjs';
import { SCALAR, boundedSize, fitSpill, sizeOf, sizeResult } from './lib/lookup-size.mjs';
import { ERROR, NUMBER, TEXT, isError, kindOf, naError, raw, significant, toBoolean } from './lib/lookup-values.mjs';

/** A key equal for values UNIQUE treats as equal. */
function keyOf(value) {
  const kind = kindOf(value);
  if (value === EmptyValue) return 'b';
  if (kind === NUMBER) return `n${significant(raw(value))}`;
  if (kind === TEXT) return `t${value.toLowerCase()}`;
  if (kind === ERROR) return `e${value.type}`;
  return `l${value}`;
}

class UniquePlugin extends FunctionPlugin {
  unique(ast, state) {
    if (ast.args.length < 1 || ast.args.length > 3) return naError('Wrong number of arguments');
    const array = this.evaluateAst(ast.args[0], state);
    if (isError(array)) return array;
    const byColumn = isOmitted(ast.args[1]) ? false : toBoolean(this.evaluateAst(ast.args[1], state));
    if (isError(byColumn)) return byColumn;
    const once = isOmitted(ast.args[2]) ? false : toBoolean(this.evaluateAst(ast.args[2], state));
    if (isError(once)) return once;
    const data = rowsOf(array);
    const lines = byColumn ? transpose(data) : data;
    const groups = new Map();
    lines.forEach((line, i) => {
      const key = JSON.stringify(line.map(keyOf));
      const group = groups.get(key);
      if (group) group.count += 1;
      else groups.set(key, { first: i, count: 1 });
    });
    const kept = [...groups.values()].filter((group) => !once || group.count === 1).map((group) => lines[group.first]);
    if (kept.length === 0) return arrayResult([]);
    return fitSpill(ast, state, arrayResult(byColumn ? transpose(kept) : kept));
  }

  /** At most the array's size; the values decide (the engine then takes the spill range from the file). */
  uniqueSize(ast, state) {
    const size = ast.args.length < 1 ? SCALAR : sizeOf(this, ast.args[0], state);
    return sizeResult(boundedSize(size.rows, size.cols), state);
  }
}

function transpose(rows) {
  return rows[0].map((_, c) => rows.map((row) => row[c]));
}

UniquePlugin.implementedFunctions = {
  UNIQUE: {
    method: 'unique',
    sizeOfResultArrayMethod: 'uniqueSize',
    parameters: [
      { argumentType: FunctionArgumentType.RANGE },
      { argumentType: FunctionArgumentType.BOOLEAN, optionalArg: true },
      { argumentType: FunctionArgumentType.BOOLEAN, optionalArg: true },
    ],
    vectorizationForbidden: true,
  },
};

export default { plugin: UniquePlugin };
