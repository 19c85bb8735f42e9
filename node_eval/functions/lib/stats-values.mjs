// Shared by the stats family: reading argument values the way Excel's aggregates do.
//
// Excel treats a value differently depending on where it comes from. In a
// reference or an array, only numbers count for SUM/AVERAGE/MAX/...: text,
// booleans and empty cells are ignored. A value typed directly as an argument
// is coerced: TRUE is 1, "3" is 3, "abc" is #VALUE!. HyperFormula evaluates a
// one-cell reference to a plain scalar, so whether an argument is a reference
// is read from its syntax tree.
//
// HyperFormula also keeps a formula whose result is empty (=A1 of an empty A1)
// empty, where Excel shows 0: such a cell counts as the number 0 here.

import { CellError, EmptyValue, ErrorType, SimpleRangeValue } from 'hyperformula';

/** The plain number of a HyperFormula number (plain or "rich": date, percent, currency), else undefined. */
export function numberOf(value) {
  if (typeof value === 'number') return value;
  if (value !== null && typeof value === 'object' && typeof value.val === 'number') return value.val;
  return undefined;
}

export const isEmpty = (value) => value === EmptyValue || value === null || value === undefined;

/** A CellError with a message, for the cell's details in dcmodel. */
export const error = (type, message) => new CellError(ErrorType[type], message);

/**
 * Text to a number as Excel coerces it ("1e3", " 5 ", "50%", "$5", a date), else
 * undefined; never for "". An ISO date (2024-07-01), which Excel reads in every
 * locale, is read here even when the engine's date formats do not include it.
 */
export function parseNumber(plugin, text) {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const n = numberOf(plugin.arithmeticHelper.coerceToMaybeNumber(text));
  if (n !== undefined) return n;
  const iso = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  if (iso !== null) {
    const date = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
    if (plugin.dateTimeHelper.isValidDate(date)) return plugin.dateTimeHelper.dateToNumber(date);
  }
  return undefined;
}

/** Number, boolean or numeric text as a number; undefined for anything else (errors included). */
export function coerceScalar(plugin, value) {
  const n = numberOf(value);
  if (n !== undefined) return n;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parseNumber(plugin, value);
  if (isEmpty(value)) return 0;
  return undefined;
}

/** True when the cell at a HyperFormula address holds a formula (or is covered by an array formula). */
export function isFormulaCell(plugin, address) {
  const vertex = plugin.dependencyGraph.getCell(address);
  return vertex !== undefined && vertex !== null && typeof vertex.getFormula === 'function';
}

// Cache keys on HyperFormula's range vertices: their caches are cleared whenever a
// cell of the range changes, so what is stored there is never stale.
const ROWS_KEY = 'dcmodel.stats.rows';

/** The range vertex of a range value that is a reference (for caching), else undefined. */
export function rangeVertexOf(plugin, rangeValue) {
  const range = rangeValue.range;
  if (range === undefined) return undefined;
  return plugin.dependencyGraph.getRange(range.start, range.end) ?? undefined;
}

/**
 * The values of a range value as a 2-D array, with Excel's 0 for an empty formula
 * result; cached on the range vertex. Arrays that are not references are returned
 * as they are. Callers must not modify the result.
 */
export function rangeRows(plugin, rangeValue) {
  const vertex = rangeVertexOf(plugin, rangeValue);
  if (vertex !== undefined) {
    const cached = vertex.getFunctionValue(ROWS_KEY);
    if (cached !== undefined) return cached;
  }
  const data = rangeValue.data;
  const range = rangeValue.range;
  if (range === undefined) return data;
  let copy = null;
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    for (let c = 0; c < row.length; c++) {
      if (row[c] === EmptyValue) {
        const address = { sheet: range.start.sheet, row: range.start.row + r, col: range.start.col + c };
        if (isFormulaCell(plugin, address)) {
          if (copy === null) copy = data.map((line) => line.slice());
          copy[r][c] = 0;
        }
      }
    }
  }
  const rows = copy ?? data;
  if (vertex !== undefined) vertex.setFunctionValue(ROWS_KEY, rows);
  return rows;
}

const FLAT_KEY = 'dcmodel.stats.flat';

/** The values of a range value, row by row, flat (cached like rangeRows). */
export function rangeFlat(plugin, rangeValue) {
  const vertex = rangeVertexOf(plugin, rangeValue);
  if (vertex !== undefined) {
    const cached = vertex.getFunctionValue(FLAT_KEY);
    if (cached !== undefined) return cached;
  }
  const rows = rangeRows(plugin, rangeValue);
  const flat = rows.length === 1 ? rows[0] : [].concat(...rows);
  if (vertex !== undefined) vertex.setFunctionValue(FLAT_KEY, flat);
  return flat;
}

function unwrap(ast) {
  while (ast.type === 'PARENTHESES') ast = ast.expression;
  return ast;
}

// Functions whose result is a reference in Excel: a scalar they return is read as a cell.
const REFERENCE_FUNCTIONS = new Set(['INDEX', 'OFFSET', 'INDIRECT']);

/** True when an argument's syntax makes it a reference (a cell, a range, a name, INDEX/OFFSET/INDIRECT). */
export function isReferenceAst(ast) {
  const node = unwrap(ast);
  switch (node.type) {
    case 'CELL_REFERENCE':
    case 'CELL_RANGE':
    case 'COLUMN_RANGE':
    case 'ROW_RANGE':
    case 'NAMED_EXPRESSION':
      return true;
    case 'FUNCTION_CALL':
      return REFERENCE_FUNCTIONS.has(node.procedureName);
    default:
      return false;
  }
}

/** The HyperFormula address a one-cell reference argument points at, else undefined. */
export function cellAddressOf(ast, state) {
  const node = unwrap(ast);
  if (node.type !== 'CELL_REFERENCE') return undefined;
  return node.reference.toSimpleCellAddress(state.formulaAddress);
}

/**
 * Evaluate each argument of a call: [{value, ref, empty}] where value is a scalar or a
 * SimpleRangeValue, ref says it reads as a reference (references and arrays), and empty
 * marks a syntactically empty argument (SUM(1,)).
 */
export function evaluateArgs(plugin, args, state) {
  return args.map((ast) => {
    const node = unwrap(ast);
    if (node.type === 'EMPTY') return { value: EmptyValue, ref: false, empty: true };
    let value = plugin.evaluateAst(ast, state);
    if (value instanceof SimpleRangeValue) return { value, ref: true, empty: false };
    const ref = isReferenceAst(node);
    if (ref && value === EmptyValue) {
      const address = cellAddressOf(node, state);
      if (address !== undefined && isFormulaCell(plugin, address)) value = 0;
    }
    return { value, ref, empty: false };
  });
}

/**
 * Visit every value of evaluated arguments: visit(value, ref) for each scalar, range
 * cells row by row. Stops early and returns what visit returns when it is not undefined.
 */
export function forEachValue(plugin, items, visit) {
  for (const { value, ref, empty } of items) {
    if (value instanceof SimpleRangeValue) {
      const rows = rangeRows(plugin, value);
      for (const row of rows) {
        for (const cell of row) {
          const stop = visit(cell, true);
          if (stop !== undefined) return stop;
        }
      }
    } else {
      const stop = visit(empty ? EmptyValue : value, ref, empty);
      if (stop !== undefined) return stop;
    }
  }
  return undefined;
}

/**
 * The numbers of SUM/AVERAGE/MAX-style arguments, Excel's way: in references and arrays
 * only numbers count; a direct argument is coerced (TRUE is 1, "3" is 3, "x" is #VALUE!,
 * an empty argument is 0). The first error met is returned instead.
 *
 * mode 'A' (AVERAGEA, MAXA, STDEVA...): in references TRUE is 1, FALSE and text are 0.
 */
export function collectNumbers(plugin, items, mode = '') {
  const numbers = [];
  const stop = forEachValue(plugin, items, (value, ref) => {
    if (value instanceof CellError) return value;
    const n = numberOf(value);
    if (n !== undefined) {
      numbers.push(n);
      return undefined;
    }
    if (ref) {
      if (mode === 'A') {
        if (typeof value === 'boolean') numbers.push(value ? 1 : 0);
        else if (typeof value === 'string') numbers.push(0);
      }
      return undefined;
    }
    if (value === EmptyValue) {
      numbers.push(0);
      return undefined;
    }
    if (typeof value === 'boolean') {
      numbers.push(value ? 1 : 0);
      return undefined;
    }
    const parsed = parseNumber(plugin, value);
    if (parsed === undefined) return error('VALUE', 'A text argument is not a number.');
    numbers.push(parsed);
    return undefined;
  });
  return stop ?? numbers;
}

/** Left-to-right sum, as Excel adds. */
export function sum(numbers) {
  let s = 0;
  for (const x of numbers) s += x;
  return s;
}

export function mean(numbers) {
  return sum(numbers) / numbers.length;
}

/** Sum of squared deviations from the mean, two-pass (numerically careful). */
export function devsq(numbers) {
  const m = mean(numbers);
  return sum(numbers.map((x) => (x - m) * (x - m)));
}

/** A finite number or #NUM!. */
export function finite(x, message = 'The result is not a finite number.') {
  return Number.isFinite(x) ? x : error('NUM', message);
}

/**
 * A range, array or scalar argument as rows of numbers, for functions that need every
 * cell numeric (LINEST, TREND, MMULT-like): an error is returned as is, anything else
 * that is not a number (text, boolean, blank in a range) is #VALUE!. A scalar typed
 * directly is coerced ("2" and TRUE are numbers).
 */
export function numericMatrix(plugin, value) {
  if (value instanceof SimpleRangeValue) {
    const rows = rangeRows(plugin, value);
    const out = [];
    for (const row of rows) {
      const line = [];
      for (const cell of row) {
        if (cell instanceof CellError) return cell;
        const n = numberOf(cell);
        if (n === undefined) return error('VALUE', 'Every value must be a number.');
        line.push(n);
      }
      out.push(line);
    }
    return out;
  }
  if (value instanceof CellError) return value;
  const n = isEmpty(value) ? undefined : coerceScalar(plugin, value);
  return n === undefined ? error('VALUE', 'Every value must be a number.') : [[n]];
}

/**
 * Apply fn to scalar arguments that may be arrays (Excel lifts a function over an array
 * given where one value is expected: LARGE(r, {1,2,3})): a single result for scalars,
 * else an array of the broadcast size (a one-row or one-column array is repeated).
 */
export function lift(values, fn) {
  const arrays = values.filter((v) => v instanceof SimpleRangeValue);
  if (arrays.length === 0) return fn(...values);
  const height = Math.max(...arrays.map((v) => v.height()));
  const width = Math.max(...arrays.map((v) => v.width()));
  const rows = [];
  for (let r = 0; r < height; r++) {
    const line = [];
    for (let c = 0; c < width; c++) {
      const args = values.map((v) => {
        if (!(v instanceof SimpleRangeValue)) return v;
        const rr = v.height() === 1 ? 0 : r;
        const cc = v.width() === 1 ? 0 : c;
        return rr < v.height() && cc < v.width() ? v.data[rr][cc] : error('NA', 'Arrays of different sizes.');
      });
      const result = fn(...args);
      line.push(result instanceof SimpleRangeValue ? result.data[0][0] : result);
    }
    rows.push(line);
  }
  return SimpleRangeValue.onlyValues(rows);
}

/** A scalar argument as a number: empty gives `empty`; text that is not a number is #VALUE!. */
export function toNumber(plugin, value, empty = 0) {
  if (value instanceof CellError) return value;
  if (isEmpty(value)) return empty;
  const n = coerceScalar(plugin, value);
  return n === undefined ? error('VALUE', 'A number is expected.') : n;
}

/**
 * Cut an array result to the size HyperFormula predicted for the call before
 * evaluating it: a larger array cannot be stored (HyperFormula throws). The two agree
 * unless an argument's size could not be foreseen (a range returned by a function).
 */
export function fitToPrediction(plugin, ast, state, result) {
  if (!(result instanceof SimpleRangeValue)) return result;
  const size = plugin.arraySizeForAst(ast, state);
  if (result.height() <= size.height && result.width() <= size.width) return result;
  if (size.height === 1 && size.width === 1) return result.data[0][0];
  return SimpleRangeValue.onlyValues(result.data.slice(0, size.height).map((row) => row.slice(0, size.width)));
}
