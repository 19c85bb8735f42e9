// The workbook as it arrives over the protocol, and its build into HyperFormula.
//
// Protocol addresses are (sheet, row, col): sheet is the order in which add_sheet
// was called (0-based), row and col are 1-based as in Excel. HyperFormula's own
// sheet ids can differ (buildFromSheets takes an object, and JS orders
// integer-like keys such as "2020" first), so every address is translated here.

import { HyperFormula } from 'hyperformula';

import { buildConfig, isFormulaContent, isResultContent, toRawContent } from './excel.mjs';
import { setHiddenRows } from '../functions/lib/hidden-rows.mjs';
import { setSpillHints } from './patches.mjs';

const MAX_ROW = 1048576;
const MAX_COL = 16384;
// Every row HyperFormula reads must be an array; the empty ones share this one.
const EMPTY_ROW = Object.freeze([]);

export class Workbook {
  constructor() {
    this.sheets = []; // {name, rows: Map<rowIndex, Array>} in protocol order
    this.formulaCells = []; // flat: sheet, row, col, sheet, row, col, ...
    this.hf = null;
    this.hfSheetIds = [];
  }

  /** Add an empty sheet; returns its protocol index. */
  addSheet(name) {
    if (this.hf) throw new Error('the workbook is already built');
    if (typeof name !== 'string' || name === '') throw new Error('a sheet needs a name');
    const lowered = name.toLowerCase();
    if (this.sheets.some((sheet) => sheet.name.toLowerCase() === lowered)) {
      throw new Error(`duplicate sheet name ${JSON.stringify(name)}`);
    }
    this.sheets.push({ name, rows: new Map() });
    return this.sheets.length - 1;
  }

  /** Store a batch of [row, col, content] cells; formulas are remembered in order for `read`. */
  addCells(sheetIndex, cells) {
    if (this.hf) throw new Error('the workbook is already built');
    const sheet = this.sheetAt(sheetIndex);
    for (const [row, col, content] of cells) {
      checkAddress(row, col);
      if (isResultContent(content)) {
        // A cell of an array formula's range: left empty for the anchor to spill into,
        // read back like a formula cell.
        this.formulaCells.push(sheetIndex, row, col);
        continue;
      }
      let cellsOfRow = sheet.rows.get(row - 1);
      if (cellsOfRow === undefined) {
        cellsOfRow = [];
        sheet.rows.set(row - 1, cellsOfRow);
      }
      cellsOfRow[col - 1] = toRawContent(content);
      if (isFormulaContent(content)) this.formulaCells.push(sheetIndex, row, col);
    }
    return cells.length;
  }

  /** Build HyperFormula from the stored cells; names HyperFormula rejects are reported, not fatal. */
  build({ names = [], dateSystem = 1900, options = {}, spills = [], hiddenRows = [] }) {
    if (this.hf) throw new Error('the workbook is already built');
    const config = buildConfig(dateSystem, options);
    const probe = HyperFormula.buildFromSheets(this.emptySheets(), config);
    const hfIds = this.sheets.map((sheet) => probe.getSheetId(sheet.name));
    setSpillHints(
      spills.map(([sheet, row, col, height, width, dynamic]) => [hfIds[sheet], row - 1, col - 1, height, width, dynamic]),
    );
    const zeroBased = (runs) => runs.map(([first, last]) => [first - 1, last - 1]);
    setHiddenRows(
      hiddenRows.map(([sheet, hidden, filtered]) => [hfIds[sheet], zeroBased(hidden), zeroBased(filtered)]),
    );
    const { accepted, rejected } = probeNames(probe, names, hfIds);
    probe.destroy();
    this.hf = HyperFormula.buildFromSheets(this.sheetArrays(), config, accepted);
    this.hfSheetIds = this.sheets.map((sheet) => this.hf.getSheetId(sheet.name));
    this.sheets.forEach((sheet) => sheet.rows.clear()); // HyperFormula holds the cells now
    return { rejectedNames: rejected };
  }

  /** The built engine; every op after `build` goes through here. */
  engine() {
    if (!this.hf) throw new Error('the workbook is not built yet: send build first');
    return this.hf;
  }

  /** HyperFormula's address of a protocol (sheet, row, col). */
  address(sheetIndex, row, col) {
    this.engine();
    checkAddress(row, col);
    return { sheet: this.hfSheet(sheetIndex), row: row - 1, col: col - 1 };
  }

  /** HyperFormula's sheet id of a protocol sheet index. */
  hfSheet(sheetIndex) {
    this.sheetAt(sheetIndex);
    return this.hfSheetIds[sheetIndex];
  }

  sheetAt(sheetIndex) {
    const sheet = this.sheets[sheetIndex];
    if (sheet === undefined) throw new Error(`no sheet with index ${sheetIndex}`);
    return sheet;
  }

  emptySheets() {
    return Object.fromEntries(this.sheets.map((sheet) => [sheet.name, []]));
  }

  /** Each sheet as the array of row arrays buildFromSheets wants: O(rows), never O(rows x cols). */
  sheetArrays() {
    return Object.fromEntries(this.sheets.map((sheet) => [sheet.name, rowsArray(sheet.rows)]));
  }
}

function rowsArray(rows) {
  let height = 0;
  for (const index of rows.keys()) height = Math.max(height, index + 1);
  const array = new Array(height).fill(EMPTY_ROW);
  for (const [index, cells] of rows) array[index] = cells;
  return array;
}

function checkAddress(row, col) {
  if (!Number.isInteger(row) || row < 1 || row > MAX_ROW || !Number.isInteger(col) || col < 1 || col > MAX_COL) {
    throw new Error(`cell address out of Excel's grid: row ${row}, col ${col}`);
  }
}

/**
 * Try each name on a probe engine with the same (empty) sheets, so that one name
 * HyperFormula rejects (e.g. "A1", "R1C1", a duplicate) cannot fail the real build.
 */
function probeNames(probe, names, hfIds) {
  const accepted = [];
  const rejected = [];
  for (const { name, expression, scope = null } of names) {
    const hfScope = scope === null || scope === undefined ? undefined : hfIds[scope];
    const text = typeof expression === 'string' && !expression.startsWith('=') ? `=${expression}` : expression;
    try {
      if (scope !== null && scope !== undefined && hfScope === undefined) throw new Error(`no sheet with index ${scope}`);
      probe.addNamedExpression(name, text, hfScope);
      accepted.push(hfScope === undefined ? { name, expression: text } : { name, expression: text, scope: hfScope });
    } catch (error) {
      rejected.push({ name, error: error.message });
    }
  }
  return { accepted, rejected };
}
