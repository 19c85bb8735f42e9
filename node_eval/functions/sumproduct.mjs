// SUMPRODUCT as Excel computes it.
//
// Replaces HyperFormula's built-in, which converts every entry to a number as an
// operator would: a number stored as text ("4") counts 4 and TRUE counts 1. Excel
// "treats non-numeric array entries as if they were zeros": text, logical values and
// empty cells are 0 (hence the --(A1:A9>0) idiom). Arrays of different sizes are
// #VALUE!; the first error met in reading order is the result.
// When every argument is a single value (a 1x1 range or a scalar), Excel multiplies
// them as scalars and a text among them is #VALUE! (measured: SUMPRODUCT(G1330:G1330,
// I1330:I1330) with G1330 the text "4", apache-poi FormulaEvalTestData J1328).

import { CellError, ErrorType, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

function rowsOf(value) {
  return value instanceof SimpleRangeValue ? value.data : [[value]];
}

/** The number an entry stands for in the product, or undefined when it is not a number. */
function numeric(value) {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && !(value instanceof CellError) && typeof value.val === 'number') {
    return value.val;
  }
  return undefined;
}

export function sumProduct(args) {
  const grids = args.map(rowsOf);
  const height = grids[0].length;
  const width = grids[0][0].length;
  if (grids.some((rows) => rows.length !== height || rows[0].length !== width)) {
    return new CellError(ErrorType.VALUE, 'The arrays differ in size.');
  }
  const scalar = height === 1 && width === 1;
  let sum = 0;
  for (let r = 0; r < height; r += 1) {
    for (let c = 0; c < width; c += 1) {
      let term = 1;
      for (const rows of grids) {
        const entry = rows[r][c];
        if (entry instanceof CellError) return entry;
        const number = numeric(entry);
        if (number === undefined && scalar && typeof entry === 'string') {
          return new CellError(ErrorType.VALUE, 'A single value that is text.');
        }
        term *= number === undefined ? 0 : number;
      }
      sum += term;
    }
  }
  return Number.isFinite(sum) ? sum : new CellError(ErrorType.NUM, 'The result is too large.');
}

class SumProductPlugin extends FunctionPlugin {
  sumproduct(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('SUMPRODUCT'), (...args) => sumProduct(args));
  }
}

SumProductPlugin.implementedFunctions = {
  SUMPRODUCT: {
    method: 'sumproduct',
    parameters: [{ argumentType: FunctionArgumentType.RANGE }],
    repeatLastArgs: 1,
  },
};

export default { plugin: SumProductPlugin };
