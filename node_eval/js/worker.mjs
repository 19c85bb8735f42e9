// The worker thread that owns HyperFormula: it parses each request line, runs
// the op and posts back one response line. Requests are handled one at a time,
// in order. Nothing here writes to stdout (engine.mjs diverts it to stderr anyway).

import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';

import { HyperFormula } from 'hyperformula';

import { calculate, exportValue, registerLanguage, toRawContent, withEvaluationSuspended } from './excel.mjs';
import { iterateGroup } from './iterate.mjs';
import { applyPatches } from './patches.mjs';
import { loadPlugins } from './plugins.mjs';
import { Workbook } from './workbook.mjs';

/** Bumped whenever a request or response changes shape; the client checks it in `hello`. */
export const PROTOCOL_VERSION = 1;

console.log = console.info = console.debug = console.error;

let workbook = new Workbook();
// Start-up (language, custom functions) may fail; every request then fails with its message.
const ready = (async () => {
  registerLanguage();
  applyPatches();
  return loadPlugins();
})();
ready.catch(() => {}); // handled by each request, which fails with the start-up error

/** [sheet, row, col, kind, value, message] for the protocol address of a cell. */
function valueRow(sheet, row, col) {
  const hf = workbook.engine();
  const address = workbook.address(sheet, row, col);
  const value = hf.getCellValue(address);
  // An empty element inside an array result shows as 0 in Excel; an empty cell outside
  // every result stays empty (the client decides what a CSE range shows there).
  if ((value === null || value === undefined) && hf.isCellPartOfArray(address)) {
    return [sheet, row, col, 'n', 0, null];
  }
  return [sheet, row, col, ...exportValue(value)];
}

/** Formula cell values from `start`, at most `count`, in the order they were added. */
function readValues({ start = 0, count = 10000 }) {
  const cells = workbook.formulaCells;
  const total = cells.length / 3;
  const end = Math.min(total, start + count);
  const values = [];
  for (let i = start; i < end; i++) {
    values.push(valueRow(cells[3 * i], cells[3 * i + 1], cells[3 * i + 2]));
  }
  return { values, done: end >= total, total };
}

function iterate({ cells, maxIterations, maxChange }) {
  const group = cells.map(([sheet, row, col, formula]) => ({ address: workbook.address(sheet, row, col), formula }));
  const outcome = iterateGroup(workbook.engine(), group, { maxIterations, maxChange });
  const values = cells.map(([sheet, row, col], i) => [sheet, row, col, ...outcome.values[i]]);
  return { ...outcome, values };
}

function setContents({ cells }) {
  const hf = workbook.engine();
  const updates = cells.map(([sheet, row, col, content]) => [workbook.address(sheet, row, col), toRawContent(content)]);
  withEvaluationSuspended(hf, () => updates.forEach(([address, content]) => hf.setCellContents(address, content)));
  return { cells: updates.length };
}

/**
 * What-if cases (data tables): for each [values, reads], put the values in the input
 * cells and read the cells; the inputs get their own contents back afterwards.
 */
function whatIf({ inputs, cases }) {
  const hf = workbook.engine();
  const addresses = inputs.map(([sheet, row, col]) => workbook.address(sheet, row, col));
  const saved = addresses.map((address) => hf.getCellSerialized(address) ?? null);
  const put = (contents) =>
    withEvaluationSuspended(hf, () => addresses.forEach((address, i) => hf.setCellContents(address, contents[i])));
  const values = [];
  try {
    for (const [settings, reads] of cases) {
      put(settings.map(toRawContent));
      values.push(reads.map(([sheet, row, col]) => exportValue(hf.getCellValue(workbook.address(sheet, row, col)))));
    }
  } finally {
    put(saved);
  }
  return { values };
}

function stats() {
  const memory = process.memoryUsage();
  const heap = getHeapStatistics();
  return {
    rss: memory.rss,
    heapUsed: heap.used_heap_size,
    heapTotal: heap.total_heap_size,
    heapLimit: heap.heap_size_limit,
    external: memory.external,
    heapMbSetting: workerData?.heapMb ?? null,
  };
}

// Test-only ops, refused unless DCMODEL_ENGINE_TEST_OPS=1: a hung and a bloated engine.
function testOnly(name, fn) {
  return (request) => {
    if (process.env.DCMODEL_ENGINE_TEST_OPS !== '1') throw new Error(`unknown op "${name}"`);
    return fn(request);
  };
}

/** Block this thread for `seconds`. */
function sleep({ seconds }) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
  return {};
}

const hoard = [];
/** Keep `mb` megabytes of JS arrays alive (past the heap limit, the worker dies). */
function grow({ mb }) {
  for (let i = 0; i < mb; i++) hoard.push(new Array(131072).fill(i + 0.5));
  return { mb: hoard.length };
}

/** Per function: the declared kind of each parameter (NUMBER, RANGE, ANY, ...), and how
 * many trailing ones repeat. The normaliser reads it for implicit intersection. */
function parameterKinds() {
  const kinds = {};
  for (const plugin of HyperFormula.getAllFunctionPlugins()) {
    for (const [id, meta] of Object.entries(plugin.implementedFunctions)) {
      if (!meta.parameters) continue;
      kinds[id] = { types: meta.parameters.map((p) => p.argumentType), repeat: meta.repeatLastArgs ?? 0 };
    }
  }
  return kinds;
}

const OPS = {
  hello: (_request, functions) => ({
    version: PROTOCOL_VERSION,
    hyperformula: HyperFormula.version,
    functions,
    registered: HyperFormula.getRegisteredFunctionNames('enGB'),
    parameters: parameterKinds(),
  }),
  add_sheet: ({ name }) => ({ sheet: workbook.addSheet(name) }),
  add_cells: ({ sheet, cells }) => ({ cells: workbook.addCells(sheet, cells) }),
  build: (request) => timed(() => workbook.build(request)),
  read: readValues,
  iterate,
  calculate: ({ sheet, formula }) => ({ value: calculate(workbook.engine(), formula, workbook.hfSheet(sheet)) }),
  calculate_many: ({ items }) => ({
    values: items.map(([sheet, formula]) => calculate(workbook.engine(), formula, workbook.hfSheet(sheet))),
  }),
  set: setContents,
  what_if: whatIf,
  stats,
  sleep: testOnly('sleep', sleep),
  grow: testOnly('grow', grow),
  shutdown: () => ({}),
  // Forget the workbook, so the same process can take the next one (fidelity runs).
  reset: () => {
    if (workbook.hf) workbook.hf.destroy();
    workbook = new Workbook();
    return {};
  },
};

/** Run `fn`, adding the number of formula cells and the seconds it took. */
function timed(fn) {
  const started = performance.now();
  const result = fn();
  return { ...result, formulaCells: workbook.formulaCells.length / 3, seconds: (performance.now() - started) / 1000 };
}

/** Handle one request line; always posts exactly one response line. */
async function handle(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    parentPort.postMessage(JSON.stringify({ id: null, ok: false, error: 'request is not valid JSON' }));
    return;
  }
  const id = request && request.id !== undefined ? request.id : null;
  try {
    const functions = await ready;
    const op = OPS[request.op];
    if (op === undefined) throw new Error(`unknown op ${JSON.stringify(request.op)}`);
    const result = op(request, functions);
    parentPort.postMessage(JSON.stringify({ id, ok: true, ...result }));
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    parentPort.postMessage(JSON.stringify({ id, ok: false, error: message }));
  }
  if (request?.op === 'shutdown') parentPort.postMessage({ exit: 0 });
}

let queue = Promise.resolve();
parentPort.on('message', (line) => {
  queue = queue.then(() => handle(line));
});
