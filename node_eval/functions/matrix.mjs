// MMULT, MINVERSE, MDETERM, MUNIT as Excel computes them. HyperFormula lacks
// MINVERSE, MDETERM and MUNIT; its MMULT is replaced because it refused dates
// and times (rich numbers: "Number-only range expected") and answered #VALUE!
// where Excel propagates an error of the arrays.
//
// Rules (measured in Excel 365): every value must be a number; the first error
// in reading order (first array, then second) is the result, else an empty
// cell, text (even "2") or a logical value is #VALUE!. MMULT needs the columns
// of the first array to equal the rows of the second, MINVERSE and MDETERM a
// square array (#VALUE!); a singular matrix is #NUM! for MINVERSE and 0 for
// MDETERM. Both use Gaussian elimination with partial pivoting. MUNIT(n)
// truncates n, which must be >= 1 (#VALUE!); TRUE is 1.

import { ArraySize, CellError, ErrorType, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { finite, toNumber, valueError } from './lib/math-coerce.mjs';

/** The numbers of a range argument as rows, or the CellError Excel gives for it. */
function matrixOf(range) {
  const rows = range instanceof SimpleRangeValue ? range.data : [[range]];
  let invalid = false;
  const matrix = rows.map((row) =>
    row.map((value) => {
      if (typeof value === 'number') return value;
      if (typeof value === 'object' && value !== null && typeof value.val === 'number') return value.val;
      if (!(value instanceof CellError)) invalid = true;
      return value;
    }),
  );
  for (const row of matrix) {
    for (const value of row) if (value instanceof CellError) return value;
  }
  return invalid ? valueError('Matrix values must be numbers.') : matrix;
}

/**
 * Gaussian elimination with partial pivoting on a copy of the square matrix
 * `a`, applying the same row operations to `b` (columns of right-hand sides).
 * Returns the determinant; `b` becomes a^-1 b when the determinant is not 0.
 */
function eliminate(a, b) {
  const n = a.length;
  const m = a.map((row) => [...row]);
  let determinant = 1;
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let row = col + 1; row < n; row += 1) if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) pivot = row;
    if (m[pivot][col] === 0) return 0;
    if (pivot !== col) {
      [m[pivot], m[col]] = [m[col], m[pivot]];
      [b[pivot], b[col]] = [b[col], b[pivot]];
      determinant = -determinant;
    }
    const p = m[col][col];
    determinant *= p;
    for (let row = 0; row < n; row += 1) {
      if (row === col) continue;
      const factor = m[row][col] / p;
      if (factor === 0) continue;
      for (let k = col; k < n; k += 1) m[row][k] -= factor * m[col][k];
      for (let k = 0; k < b[row].length; k += 1) b[row][k] -= factor * b[col][k];
    }
  }
  for (let row = 0; row < n; row += 1) {
    for (let k = 0; k < b[row].length; k += 1) b[row][k] /= m[row][row];
  }
  return determinant;
}

const identity = (n) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => (i === j ? 1 : 0)));
const notSquare = () => valueError('The array must be square.');

/** A result matrix, with every value checked (overflow is #NUM!). */
function result(rows) {
  return SimpleRangeValue.onlyValues(rows.map((row) => row.map((value) => finite(value))));
}

class MatrixPlugin extends FunctionPlugin {
  mmult(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MMULT'), (left, right) => {
      const a = matrixOf(left);
      if (a instanceof CellError) return a;
      const b = matrixOf(right);
      if (b instanceof CellError) return b;
      if (a[0].length !== b.length) return valueError('MMULT needs as many columns in array1 as rows in array2.');
      return result(a.map((row) => b[0].map((_, j) => row.reduce((sum, value, k) => sum + value * b[k][j], 0))));
    });
  }

  mmultSize(ast, state) {
    if (ast.args.length !== 2) return ArraySize.error();
    const [left, right] = ast.args.map((arg) => this.arraySizeForAst(arg, state));
    return new ArraySize(right.width, left.height);
  }

  minverse(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MINVERSE'), (range) => {
      const a = matrixOf(range);
      if (a instanceof CellError) return a;
      if (a.length !== a[0].length) return notSquare();
      const inverse = identity(a.length);
      if (eliminate(a, inverse) === 0) return new CellError(ErrorType.NUM, 'The matrix is singular.');
      return result(inverse);
    });
  }

  minverseSize(ast, state) {
    if (ast.args.length !== 1) return ArraySize.error();
    const size = this.arraySizeForAst(ast.args[0], state);
    return new ArraySize(size.width, size.height); // a new size: a range's own is marked as a reference

  }

  mdeterm(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MDETERM'), (range) => {
      const a = matrixOf(range);
      if (a instanceof CellError) return a;
      if (a.length !== a[0].length) return notSquare();
      return finite(eliminate(a, a.map(() => [])));
    });
  }

  munit(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('MUNIT'), (dimension) => {
      const n = toNumber(this, dimension);
      if (n instanceof CellError) return n;
      const size = Math.trunc(n);
      if (size < 1) return valueError('MUNIT needs a dimension of at least 1.');
      if (size > this.config.maxRows || size > this.config.maxColumns) return valueError('MUNIT is too large.');
      return SimpleRangeValue.onlyValues(identity(size));
    });
  }

  /** The size of MUNIT(n) when n is a number written in the formula, else unknown (one cell). */
  munitSize(ast) {
    const [arg] = ast.args;
    if (ast.args.length !== 1 || arg.type !== 'NUMBER') return ArraySize.error();
    const size = Math.trunc(arg.value);
    return size >= 1 && size <= this.config.maxRows ? new ArraySize(size, size) : ArraySize.error();
  }
}

const RANGE = { argumentType: FunctionArgumentType.RANGE };

MatrixPlugin.implementedFunctions = {
  MMULT: { method: 'mmult', sizeOfResultArrayMethod: 'mmultSize', parameters: [RANGE, RANGE], vectorizationForbidden: true },
  MINVERSE: { method: 'minverse', sizeOfResultArrayMethod: 'minverseSize', parameters: [RANGE], vectorizationForbidden: true },
  MDETERM: { method: 'mdeterm', parameters: [RANGE], vectorizationForbidden: true },
  MUNIT: {
    method: 'munit',
    sizeOfResultArrayMethod: 'munitSize',
    parameters: [{ argumentType: FunctionArgumentType.SCALAR }],
    vectorizationForbidden: true,
  },
};

export default { plugin: MatrixPlugin };
