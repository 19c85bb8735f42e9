// Shared by the stats family: Excel's criteria (SUMIF, COUNTIFS, AVERAGEIFS, MAXIFS,
// the database functions' criteria rows).
//
// A criterion is a value or text made of an optional operator (=, <>, <, <=, >, >=)
// and an operand. The operand is read as a number if it looks like one ("5", "1e3",
// "50%", a date), then as TRUE/FALSE, then as an error code (#N/A), else as text.
//
// - number, =: numbers equal to it, and text that reads as that number ("001" = 1);
//   <, >, <=, >=: numbers only (numeric text, booleans and blanks never match).
// - text, =: text equal to it, case-insensitive, with the wildcards * (any run), ?
//   (one character) and ~ (escapes * ? ~); numbers and booleans never match;
//   <, >, ...: text only, compared case-insensitively, no wildcards.
// - TRUE/FALSE: booleans only. An error code: that error only.
// - <> is always the negation of =, so "<>x" also matches blank cells.
// - An empty operand: "=" matches blank cells only, "" (no operator) blank cells and
//   empty text, "<>" every cell that is not blank.
// - A criterion that is a reference to an empty cell is the number 0 (Microsoft's
//   documentation of COUNTIFS); a criterion that is an error value matches that error.

import { CellError, EmptyValue } from 'hyperformula';

import { numberOf, parseNumber } from './stats-values.mjs';

const OPERATORS = ['<=', '>=', '<>', '<', '>', '='];

// Excel's error codes (HyperFormula's, and the extra ones dcmodel's language adds).
const ERROR_TYPES = {
  '#NULL!': 'NULL',
  '#DIV/0!': 'DIV_BY_ZERO',
  '#VALUE!': 'VALUE',
  '#REF!': 'REF',
  '#NAME?': 'NAME',
  '#NUM!': 'NUM',
  '#N/A': 'NA',
  '#GETTING_DATA': 'GETTING_DATA',
  '#SPILL!': 'SPILL',
  '#CALC!': 'CALC',
  '#FIELD!': 'FIELD',
  '#BLOCKED!': 'BLOCKED',
  '#CONNECT!': 'CONNECT',
  '#BUSY!': 'BUSY',
  '#UNKNOWN!': 'UNKNOWN',
  '#EXTERNAL!': 'EXTERNAL',
  '#PYTHON!': 'PYTHON',
};

// Text order for <, >: case-insensitive, accents significant, as Excel compares text.
const COLLATOR = new Intl.Collator('en', { sensitivity: 'accent', numeric: false });

const lower = (text) => text.toLowerCase();

/** A RegExp for an Excel wildcard pattern (* ? ~), matched against lower-cased text, or null if none. */
export function wildcardRegExp(pattern) {
  if (!/[*?]/.test(pattern)) return null;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '~' && i + 1 < pattern.length && '*?~'.includes(pattern[i + 1])) {
      source += escapeRegExp(pattern[++i]);
    } else if (ch === '*') {
      source += '[\\s\\S]*';
    } else if (ch === '?') {
      source += '[\\s\\S]';
    } else {
      source += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(ch) {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** Literal text of a pattern without wildcards: ~* ~? ~~ stand for * ? ~. */
function unescapeTilde(pattern) {
  return pattern.replace(/~([*?~])/g, '$1');
}

/** Compare two numbers the way HyperFormula's = does (relative epsilon), -1 / 0 / 1. */
function compareNumbers(plugin, a, b) {
  return plugin.arithmeticHelper.floatCmp(a, b);
}

function typed(plugin, operand) {
  const n = parseNumber(plugin, operand);
  if (n !== undefined) return { kind: 'number', value: n };
  const upper = operand.toUpperCase();
  if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
  if (Object.hasOwn(ERROR_TYPES, upper)) return { kind: 'error', value: ERROR_TYPES[upper] };
  return { kind: 'text', value: operand };
}

function split(text) {
  for (const op of OPERATORS) {
    if (text.startsWith(op)) return [op, text.slice(op.length)];
  }
  return ['', text];
}

/**
 * A predicate value -> boolean for a criterion (a number, text, boolean, error or
 * empty value); value is a cell's value as HyperFormula holds it.
 *
 * prefix: the database functions' (Advanced Filter) rule, where text written without
 * an operator matches every text that begins with it ("East" matches "Eastern").
 */
export function buildCriterion(plugin, criterion, { prefix = false } = {}) {
  let op = '=';
  let operand;
  if (criterion instanceof CellError) {
    operand = { kind: 'error', value: criterion.type };
  } else if (criterion === EmptyValue || criterion === null || criterion === undefined) {
    operand = { kind: 'number', value: 0 };
  } else if (typeof criterion === 'boolean') {
    operand = { kind: 'boolean', value: criterion };
  } else if (numberOf(criterion) !== undefined) {
    operand = { kind: 'number', value: numberOf(criterion) };
  } else {
    const [written, rest] = split(String(criterion));
    if (rest === '') return emptyCriterion(written);
    op = written || '=';
    operand = typed(plugin, rest);
    if (prefix && written === '' && operand.kind === 'text') operand = { kind: 'text', value: `${rest}*` };
  }
  const equal = equalityTest(plugin, operand);
  switch (op) {
    case '=':
      return equal;
    case '<>':
      return (value) => !equal(value);
    default:
      return orderTest(plugin, operand, op);
  }
}

function emptyCriterion(op) {
  switch (op) {
    case '':
      return (value) => value === EmptyValue || value === '';
    case '=':
      return (value) => value === EmptyValue;
    case '<>':
      return (value) => value !== EmptyValue;
    case '<':
      return () => false;
    case '<=':
      return (value) => value === '';
    case '>':
      return (value) => typeof value === 'string' && value !== '';
    default: // >=
      return (value) => typeof value === 'string';
  }
}

function equalityTest(plugin, operand) {
  switch (operand.kind) {
    case 'number': {
      const target = operand.value;
      return (value) => {
        let n = numberOf(value);
        if (n === undefined && typeof value === 'string') n = parseNumber(plugin, value);
        return n !== undefined && compareNumbers(plugin, n, target) === 0;
      };
    }
    case 'boolean':
      return (value) => value === operand.value;
    case 'error':
      return (value) => value instanceof CellError && value.type === operand.value;
    default: {
      const regexp = wildcardRegExp(lower(operand.value));
      if (regexp !== null) return (value) => typeof value === 'string' && regexp.test(lower(value));
      const target = lower(unescapeTilde(operand.value));
      return (value) => typeof value === 'string' && lower(value) === target;
    }
  }
}

function orderTest(plugin, operand, op) {
  const accept = {
    '<': (c) => c < 0,
    '<=': (c) => c <= 0,
    '>': (c) => c > 0,
    '>=': (c) => c >= 0,
  }[op];
  switch (operand.kind) {
    case 'number':
      return (value) => {
        const n = numberOf(value);
        return n !== undefined && accept(compareNumbers(plugin, n, operand.value));
      };
    case 'boolean':
      return (value) => typeof value === 'boolean' && accept(Number(value) - Number(operand.value));
    case 'error':
      return () => false;
    default:
      return (value) => typeof value === 'string' && accept(COLLATOR.compare(value, operand.value));
  }
}
