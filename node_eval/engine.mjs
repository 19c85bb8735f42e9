#!/usr/bin/env node
// dcmodel's recalculation engine: HyperFormula behind a JSON Lines process.
//
// This main thread only relays: each stdin line goes to a worker thread that
// owns HyperFormula, each worker answer goes to stdout as one line. HyperFormula
// runs in a worker because only a worker can be given a large JS stack
// (resourceLimits.stackSizeMb): on Node's default stack a formula of ~2,000
// terms or ~200 nested parentheses fails the whole build (RELIABILITY.md 1.4).
//
// Guarantees the Python client relies on:
// - stdout carries nothing but JSON lines: the worker's own stdout is piped to
//   stderr, and so is every log line;
// - the process exits as soon as stdin ends, so it never outlives its parent;
// - exit codes: 0 normal, 2 bad arguments, 3 worker crashed, 4 worker out of memory.
//
// Usage: node [--max-old-space-size=MB] engine.mjs [--heap-mb=MB]
// The worker's heap limit is node's --max-old-space-size when given: that V8 flag
// is process-wide and overrides a worker's resourceLimits (measured: with
// --max-old-space-size=256 a worker asked for 3072 MB still stops near 300 MB).
// Without it: --heap-mb, else $DCMODEL_ENGINE_HEAP_MB, else 3072.

import process from 'node:process';
import { Worker } from 'node:worker_threads';

const STACK_SIZE_MB = 64;
const DEFAULT_HEAP_MB = 3072;
const EXIT_BAD_ARGS = 2;
const EXIT_WORKER_CRASHED = 3;
const EXIT_WORKER_OOM = 4;

/** Log one line to stderr, never stdout. */
function log(message) {
  process.stderr.write(`dcmodel engine: ${message}\n`);
}

/** Read an integer option "--name=N" from a list of arguments. */
function intOption(args, name) {
  const prefix = `--${name}=`;
  const arg = args.find((a) => a.startsWith(prefix));
  return arg === undefined ? undefined : Number(arg.slice(prefix.length));
}

/** The worker's old-generation heap limit in MB, from argv, env or node's own flag. */
function resolveHeapMb() {
  const candidates = [
    intOption(process.execArgv, 'max-old-space-size'),
    intOption(process.argv.slice(2), 'heap-mb'),
    process.env.DCMODEL_ENGINE_HEAP_MB ? Number(process.env.DCMODEL_ENGINE_HEAP_MB) : undefined,
  ];
  const heapMb = candidates.find((value) => value !== undefined) ?? DEFAULT_HEAP_MB;
  if (!Number.isInteger(heapMb) || heapMb < 16) {
    log(`invalid heap size ${heapMb}: give --heap-mb=N with N >= 16`);
    process.exit(EXIT_BAD_ARGS);
  }
  return heapMb;
}

/** Start the worker that owns HyperFormula; its stdout is diverted to our stderr. */
function startWorker(heapMb) {
  const worker = new Worker(new URL('./js/worker.mjs', import.meta.url), {
    resourceLimits: { stackSizeMb: STACK_SIZE_MB, maxOldGenerationSizeMb: heapMb },
    stdout: true,
    workerData: { heapMb },
  });
  worker.stdout.pipe(process.stderr);
  worker.on('message', (message) => {
    if (typeof message === 'string') {
      process.stdout.write(`${message}\n`);
    } else if (message && message.exit !== undefined) {
      process.exit(message.exit);
    }
  });
  worker.on('error', (error) => {
    if (error && error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      log(`out of memory: the worker heap limit is ${heapMb} MB (${error.message})`);
      process.exit(EXIT_WORKER_OOM);
    }
    log(`worker crashed: ${error && error.stack ? error.stack : error}`);
    process.exit(EXIT_WORKER_CRASHED);
  });
  worker.on('exit', (code) => {
    if (code !== 0) log(`worker exited with code ${code}`);
    process.exit(code === 0 ? 0 : EXIT_WORKER_CRASHED);
  });
  return worker;
}

/** Split stdin into lines without rescanning long lines, and hand each to `onLine`. */
function relayStdin(onLine) {
  let pending = [];
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      pending.push(chunk.slice(start, newline));
      const line = pending.join('');
      pending = [];
      if (line.trim() !== '') onLine(line);
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) pending.push(chunk.slice(start));
  });
  // The parent is gone (or done): exit at once, whatever the worker is doing.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
}

function main() {
  process.stdout.on('error', () => process.exit(0)); // EPIPE: nobody listens any more
  console.log = console.info = console.debug = console.error;
  const worker = startWorker(resolveHeapMb());
  relayStdin((line) => worker.postMessage(line));
}

main();
