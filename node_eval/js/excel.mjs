// Excel semantics on top of HyperFormula: the configuration, the error codes,
// and how cell contents go in and values come out.

import { parseDateTime as parseExcelDateTime } from '../functions/lib/text-parse.mjs';
import {
  DenseSparseChooseBasedOnThreshold,
  DetailedCellError,
  HyperFormula,
  NotAFormulaError,
} from 'hyperformula';
import enGB from 'hyperformula/i18n/languages/enGB';

/** The language code of enGB plus every Excel error code HyperFormula lacks. */
export const LANGUAGE = 'dcXL';

// HyperFormula knows #DIV/0!, #N/A, #NAME?, #NUM!, #REF!, #VALUE!, #SPILL! (and
// its own #CYCLE!, #ERROR!, #LIC!). Excel's other codes become error types of
// their own, so a constant such as #NULL! stays #NULL! through every dependent.
const EXTRA_ERRORS = {
  NULL: '#NULL!',
  GETTING_DATA: '#GETTING_DATA',
  CALC: '#CALC!',
  FIELD: '#FIELD!',
  BLOCKED: '#BLOCKED!',
  CONNECT: '#CONNECT!',
  BUSY: '#BUSY!',
  UNKNOWN: '#UNKNOWN!',
  EXTERNAL: '#EXTERNAL!',
  PYTHON: '#PYTHON!',
};

/** The error codes an `{"e": code}` constant may carry. */
export const ERROR_CODES = new Set([...Object.values(enGB.errors), ...Object.values(EXTRA_ERRORS)]);

/** Register the dcXL language once; custom function translations must come after. */
export function registerLanguage() {
  if (!HyperFormula.getRegisteredLanguagesCodes().includes(LANGUAGE)) {
    HyperFormula.registerLanguage(LANGUAGE, { ...enGB, errors: { ...enGB.errors, ...EXTRA_ERRORS } });
  }
}

/** Excel's serial dates: 1900 with its fake 29 Feb 1900, or 1904. */
function dateConfig(dateSystem) {
  if (dateSystem === 1904) {
    return { nullDate: { year: 1904, month: 1, day: 1 }, leapYear1900: false };
  }
  if (dateSystem === 1900) {
    // Measured: with 1899-12-31 as day 0 and the 1900 leap-year bug, DATE(1900,1,1)=1,
    // DATE(1900,2,28)=59, DATE(1900,3,1)=61, DATE(2020,1,1)=43831, as in Excel.
    return { nullDate: { year: 1899, month: 12, day: 31 }, leapYear1900: true };
  }
  throw new Error(`dateSystem must be 1900 or 1904, not ${dateSystem}`);
}

/** HyperFormula's parseDateTime hook on top of the text family's Excel-compatible reader. */
function excelDateTimeParser(date1904) {
  return (text) => {
    const parts = parseExcelDateTime(text, date1904);
    if (parts === undefined) return undefined;
    const result = {};
    if (parts.date !== undefined) Object.assign(result, calendarDate(parts.date, date1904));
    if (parts.time !== undefined) {
      const seconds = Math.round(parts.time * 86400 * 1000) / 1000;
      result.hours = Math.floor(seconds / 3600);
      result.minutes = Math.floor((seconds % 3600) / 60);
      result.seconds = seconds - result.hours * 3600 - result.minutes * 60;
    }
    return result;
  };
}

/** A whole serial as {year, month, day}; serial 60 of the 1900 system is its fictitious 29 Feb. */
function calendarDate(serial, date1904) {
  if (!date1904 && serial === 60) return { year: 1900, month: 2, day: 29 };
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 31);
  const days = !date1904 && serial > 60 ? serial - 1 : serial;
  const date = new Date(base + days * 86400000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The HyperFormula configuration for an Excel workbook; `options` override any key. */
export function buildConfig(dateSystem, options = {}) {
  const { addressMappingThreshold = 0.5, ...hfOptions } = options;
  return {
    licenseKey: 'gpl-v3',
    language: LANGUAGE,
    maxRows: 1048576,
    maxColumns: 16384,
    useArrayArithmetic: true,
    functionArgSeparator: ',',
    decimalSeparator: '.',
    thousandSeparator: '',
    undoLimit: 0, // no undo: thousands of iteration writes must not pile up
    // Comparisons and the zeroing of cancellation residues at 15 significant digits,
    // as Excel: 0.1+0.2=0.3 is TRUE, 1.11111111111111=1.1111111111111 is FALSE, and a
    // residue such as 1234567.1-1234567-0.1 is kept (HyperFormula's default 1e-13
    // treats both pairs as equal and zeroes that residue).
    precisionEpsilon: 1e-15,
    // A formula whose result is an empty cell (=A1 of an empty A1) is 0 in Excel,
    // for its dependents too (=B1&"x" is "0x").
    evaluateNullToZero: true,
    // A sheet filled above this ratio is stored as a dense array, else as a map:
    // dense costs height x width slots, so one cell at row 1,000,000 must not get it
    // (HyperFormula's default is always dense). 0 = always dense, 1 = always sparse.
    chooseAddressMappingPolicy: new DenseSparseChooseBasedOnThreshold(addressMappingThreshold),
    ...dateConfig(dateSystem),
    // Text read as a date or time (="1/2/2020"+0, DATEVALUE) the way en-US Excel reads
    // it: month first, month names, times with AM/PM. HyperFormula's default reads day
    // first and knows few forms. One date and one time format, so the hook runs once.
    dateFormats: ['MM/DD/YYYY'],
    timeFormats: ['hh:mm:ss'],
    parseDateTime: excelDateTimeParser(dateSystem === 1904),
    ...hfOptions,
  };
}

/**
 * Turn a protocol cell content into HyperFormula raw content.
 *
 * Text always gets a leading apostrophe: HyperFormula parses a raw string as a
 * formula, boolean, number, date or error when it looks like one, and strips one
 * leading apostrophe from any other string, so "'" + text is read back as exactly text.
 */
export function toRawContent(content) {
  if (content === null || typeof content !== 'object') {
    return content ?? null;
  }
  if (typeof content.f === 'string') {
    return content.f.startsWith('=') ? content.f : `=${content.f}`;
  }
  if (typeof content.t === 'string') {
    return `'${content.t}`;
  }
  if (typeof content.e === 'string') {
    if (!ERROR_CODES.has(content.e)) throw new Error(`unknown error code ${JSON.stringify(content.e)}`);
    return content.e;
  }
  throw new Error(`cannot read cell content ${JSON.stringify(content)}`);
}

/** True for `{"r": 1}`: a cell an array formula spills into, read back but never set. */
export function isResultContent(content) {
  return content !== null && typeof content === 'object' && content.r === 1;
}

/** True when a protocol cell content is a formula. */
export function isFormulaContent(content) {
  return content !== null && typeof content === 'object' && typeof content.f === 'string';
}

/**
 * A HyperFormula value as [kind, value, message]: n number, s string, b boolean,
 * e error (value is the code), z empty. A range result keeps its top-left value.
 */
export function exportValue(value) {
  if (Array.isArray(value)) {
    return exportValue(value.length > 0 && value[0].length > 0 ? value[0][0] : null);
  }
  if (value === null || value === undefined) return ['z', null, null];
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? ['n', value, null] : ['e', '#NUM!', 'not a finite number'];
    case 'string':
      return ['s', value, null];
    case 'boolean':
      return ['b', value, null];
    default:
      if (value instanceof DetailedCellError) return ['e', value.value, value.message || ''];
      return ['e', '#VALUE!', `unexpected value ${String(value)}`];
  }
}

/**
 * Compute a formula in a sheet's context (HyperFormula sheet id) as an exported value.
 * A formula HyperFormula cannot parse is an #ERROR! value, as it would be in a cell,
 * not an exception (calculateFormula throws NotAFormulaError for it).
 */
export function calculate(hf, formula, hfSheet) {
  try {
    return exportValue(hf.calculateFormula(formula, hfSheet));
  } catch (error) {
    if (error instanceof NotAFormulaError) {
      return ['e', '#ERROR!', `Parsing error. HyperFormula cannot parse ${formula}`];
    }
    throw error;
  }
}

/**
 * Run `fn` with evaluation suspended, so many writes recalculate once at the end.
 * Not hf.batch(): in HyperFormula 3.5.0 its undo bookkeeping makes a batch of n
 * writes cost O(n^2) even with undoLimit 0 (10,000 writes: 4.9 s against 0.35 s).
 */
export function withEvaluationSuspended(hf, fn) {
  hf.suspendEvaluation();
  try {
    return fn();
  } finally {
    hf.resumeEvaluation();
  }
}

/** The raw content that stores an exported value back as a constant (empty becomes 0, as Excel). */
export function constantOf([kind, value]) {
  if (kind === 'z') return 0;
  if (kind === 's') return `'${value}`;
  return value;
}
