// DSUM, DCOUNT, DCOUNTA, DGET, DMAX, DMIN, DAVERAGE, DPRODUCT, DSTDEV, DSTDEVP, DVAR,
// DVARP: Excel's database functions, replacing HyperFormula's.
//
// Excel (Advanced Filter criteria): the criteria range's first row names database
// columns (text compared case-insensitively with the database's headers, a number or
// TRUE read as its text); each further row is one alternative (rows are OR-ed, cells
// of a row AND-ed); an empty criteria cell sets no condition, so an empty row matches
// every record; a criterion under a blank or unknown header matches nothing. Text
// written without an operator matches text that begins with it ("East" matches
// "Eastern"); otherwise criteria read as in SUMIF. The field is a column header or a
// 1-based index (truncated); a database without data rows, an unknown field, an empty
// field or a field given as a range is #VALUE!. Only numbers of the field are
// aggregated (DCOUNTA counts every non-blank value, errors included); errors in the
// field are skipped. DGET: #VALUE! without a match, #NUM! with more than one.
//
// HyperFormula differs: criteria text is matched exactly, not as a prefix; a header
// given as a number or boolean, a blank criteria header, a database of headers only,
// errors in the field column (returned instead of skipped) are all handled otherwise.

import { CellError, EmptyValue, FunctionArgumentType, FunctionPlugin, SimpleRangeValue } from 'hyperformula';

import { buildCriterion } from './lib/stats-criteria.mjs';
import { devsq, error, isEmpty, mean, numberOf, rangeRows } from './lib/stats-values.mjs';

/** A header cell as Excel reads it for matching: lower-cased text, or null when blank. */
function headerText(value) {
  if (isEmpty(value)) return null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const n = numberOf(value);
  if (n !== undefined) return String(Number(n.toPrecision(15))).toLowerCase();
  if (value instanceof CellError) return null;
  return String(value).toLowerCase();
}

function rowsOf(plugin, value) {
  if (value instanceof SimpleRangeValue) return rangeRows(plugin, value);
  return [[value]];
}

const noMatch = () => error('VALUE', 'The field is not a column of the database.');

/** The 0-based column of the field argument, or a CellError. */
function fieldColumn(field, headers) {
  if (field instanceof SimpleRangeValue) {
    if (field.width() !== 1 || field.height() !== 1) return error('VALUE', 'The field must be one value.');
    field = field.data[0][0];
  }
  if (field instanceof CellError) return field;
  if (isEmpty(field)) return noMatch();
  const n = typeof field === 'boolean' ? Number(field) : numberOf(field);
  if (n !== undefined) {
    const index = Math.trunc(n);
    return index >= 1 && index <= headers.length ? index - 1 : noMatch();
  }
  const wanted = String(field).toLowerCase();
  const index = headers.findIndex((h) => headerText(h) === wanted);
  return index >= 0 ? index : noMatch();
}

/** A predicate over database rows for the criteria range. */
function rowFilter(plugin, criteria, headers) {
  const names = headers.map(headerText);
  const alternatives = [];
  for (let r = 1; r < criteria.length; r++) {
    const conditions = [];
    for (let c = 0; c < criteria[0].length; c++) {
      const value = criteria[r][c];
      if (isEmpty(value)) continue;
      const name = headerText(criteria[0][c]);
      const column = name === null ? -1 : names.indexOf(name);
      if (column < 0) {
        conditions.push(() => false);
        continue;
      }
      const test = buildCriterion(plugin, value, { prefix: true });
      conditions.push((row) => test(row[column]));
    }
    alternatives.push(conditions);
  }
  if (alternatives.length === 0) return () => true;
  return (row) => alternatives.some((conditions) => conditions.every((test) => test(row)));
}

function variance(numbers, sample) {
  const n = numbers.length;
  if (n === 0 || (sample && n === 1)) return error('DIV_BY_ZERO', 'Not enough numbers.');
  return devsq(numbers) / (sample ? n - 1 : n);
}

// What each function makes of the matching field values.
const AGGREGATES = {
  DCOUNT: (values) => values.filter((v) => numberOf(v) !== undefined).length,
  DCOUNTA: (values) => values.filter((v) => !isEmpty(v)).length,
  DSUM: (values, nums) => nums.reduce((a, b) => a + b, 0),
  DPRODUCT: (values, nums) => (nums.length === 0 ? 0 : nums.reduce((a, b) => a * b, 1)),
  DMAX: (values, nums) => (nums.length === 0 ? 0 : Math.max(...nums)),
  DMIN: (values, nums) => (nums.length === 0 ? 0 : Math.min(...nums)),
  DAVERAGE: (values, nums) => (nums.length === 0 ? error('DIV_BY_ZERO', 'No numbers match.') : mean(nums)),
  DVAR: (values, nums) => variance(nums, true),
  DVARP: (values, nums) => variance(nums, false),
  DSTDEV: (values, nums) => {
    const v = variance(nums, true);
    return v instanceof CellError ? v : Math.sqrt(v);
  },
  DSTDEVP: (values, nums) => {
    const v = variance(nums, false);
    return v instanceof CellError ? v : Math.sqrt(v);
  },
  DGET: (values) => {
    if (values.length === 0) return error('VALUE', 'No record matches the criteria.');
    if (values.length > 1) return error('NUM', 'More than one record matches the criteria.');
    return values[0] === EmptyValue ? 0 : values[0];
  },
};

class DatabasePlugin extends FunctionPlugin {
  database(ast, state, name) {
    if (ast.args.length !== 3) return error('NA', 'Wrong number of arguments.');
    const [dbValue, field, criteriaValue] = ast.args.map((arg) => this.evaluateAst(arg, state));
    for (const v of [dbValue, criteriaValue]) {
      if (v instanceof CellError) return v;
    }
    const db = rowsOf(this, dbValue);
    if (db.length < 2) return error('VALUE', 'The database has no records.');
    const column = fieldColumn(field, db[0]);
    if (column instanceof CellError) return column;
    const matches = rowFilter(this, rowsOf(this, criteriaValue), db[0]);
    const values = [];
    for (let r = 1; r < db.length; r++) {
      if (matches(db[r])) values.push(db[r][column]);
    }
    const numbers = values.map(numberOf).filter((n) => n !== undefined);
    return AGGREGATES[name](values, numbers);
  }
}

const PARAMETERS = [
  { argumentType: FunctionArgumentType.RANGE },
  { argumentType: FunctionArgumentType.ANY },
  { argumentType: FunctionArgumentType.RANGE },
];

DatabasePlugin.implementedFunctions = {};
for (const name of Object.keys(AGGREGATES)) {
  const method = name.toLowerCase();
  DatabasePlugin.prototype[method] = function (ast, state) {
    return this.database(ast, state, name);
  };
  DatabasePlugin.implementedFunctions[name] = { method, parameters: PARAMETERS };
}

export default { plugin: DatabasePlugin };
