// Loads the custom functions in node_eval/functions/: one HyperFormula function
// plugin per .mjs file (see functions/README.md). A file that cannot be loaded
// stops the engine with a message naming it, never silently.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { FunctionPlugin, HyperFormula } from 'hyperformula';

import { LANGUAGE } from './excel.mjs';

/** Where the plugins live: $DCMODEL_ENGINE_FUNCTIONS_DIR, else node_eval/functions/. */
export function functionsDir() {
  return process.env.DCMODEL_ENGINE_FUNCTIONS_DIR || fileURLToPath(new URL('../functions/', import.meta.url));
}

/** Check a plugin module's default export and return {plugin, translations}. */
function validate(exported) {
  if (!exported || typeof exported !== 'object') {
    throw new Error('the default export must be an object { plugin, translations }');
  }
  const { plugin, translations } = exported;
  if (typeof plugin !== 'function' || !(plugin.prototype instanceof FunctionPlugin)) {
    throw new Error('`plugin` must be a class that extends FunctionPlugin');
  }
  const implemented = plugin.implementedFunctions;
  if (!implemented || typeof implemented !== 'object' || Object.keys(implemented).length === 0) {
    throw new Error('`plugin.implementedFunctions` must declare at least one function');
  }
  for (const [id, meta] of Object.entries(implemented)) {
    if (!meta || typeof plugin.prototype[meta.method] !== 'function') {
      throw new Error(`${id}: method ${JSON.stringify(meta && meta.method)} is not a method of the plugin`);
    }
  }
  if (translations !== undefined && (typeof translations !== 'object' || translations === null)) {
    throw new Error('`translations` must be an object such as { enGB: { ID: "NAME" } }');
  }
  return { plugin, translations };
}

/**
 * The names formulas use for the plugin's functions, in every language we build
 * with: its enGB translations, else each function's own id (and each alias).
 */
function namesFor(plugin, translations) {
  const ids = [...Object.keys(plugin.implementedFunctions), ...Object.keys(plugin.aliases ?? {})];
  const names = translations?.enGB ?? Object.fromEntries(ids.map((id) => [id, id]));
  return { ...translations, enGB: names, [LANGUAGE]: names };
}

/** Import and register one plugin file; return the function ids it adds. */
async function loadOne(dir, file) {
  try {
    const module = await import(pathToFileURL(join(dir, file)).href);
    const { plugin, translations } = validate(module.default);
    HyperFormula.registerFunctionPlugin(plugin, namesFor(plugin, translations));
    return Object.keys(plugin.implementedFunctions);
  } catch (error) {
    throw new Error(`custom function file functions/${file} cannot be loaded: ${error.name}: ${error.message}`);
  }
}

/** Load every plugin file, in name order; return the ids of the functions they add. */
export async function loadPlugins(dir = functionsDir()) {
  let files;
  try {
    files = (await readdir(dir)).filter((name) => name.endsWith('.mjs')).sort();
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  const ids = [];
  for (const file of files) {
    ids.push(...(await loadOne(dir, file)));
  }
  return ids;
}
