// FIND, SEARCH and their byte versions FINDB, SEARCHB.
//
// Replaces HyperFormula's FIND/SEARCH: FIND("ana","ana",2) gave 1 (Excel: #VALUE!), its
// SEARCH did not know Excel's ~ escape (SEARCH("~?","Late?") is 5, a lone "~" matches
// at the start) and numbers became text with JS's toString. Excel: FIND is
// case-sensitive and literal; SEARCH ignores case and takes ? (one character), * (any
// run) and ~ (escapes the next character). The start is truncated and must be between
// 1 and LEN(within)+1, else #VALUE!; no match is #VALUE!. B versions equal the
// character versions in a single-byte Excel.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { isError, toNumber, toText, valueError } from './lib/text-args.mjs';

const ARG = { argumentType: FunctionArgumentType.NOERROR };
const START = { argumentType: FunctionArgumentType.NOERROR, optionalArg: true };

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Excel's wildcard pattern (? * ~) as a case-insensitive JS regular expression. */
function wildcardRegExp(pattern) {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '~') {
      if (i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
    } else if (c === '?') source += '[\\s\\S]';
    else if (c === '*') source += '[\\s\\S]*?';
    else source += escapeRegExp(c);
  }
  return new RegExp(source, 'gi');
}

class FindPlugin extends FunctionPlugin {
  locate(ast, state, search) {
    const name = String(ast.procedureName ?? '').toUpperCase();
    const metadata = this.metadata(name in FindPlugin.implementedFunctions ? name : search ? 'SEARCH' : 'FIND');
    return this.runFunction(ast.args, state, metadata, (findText, withinText, startNum) => {
      const find = toText(findText);
      if (isError(find)) return find;
      const within = toText(withinText);
      if (isError(within)) return within;
      let start = 1;
      if (startNum !== undefined) {
        const n = toNumber(startNum, this.config);
        if (isError(n)) return n;
        start = Math.trunc(n);
      }
      if (start < 1 || start > within.length + 1) return valueError('Start out of range.');
      let at;
      if (search) {
        const re = wildcardRegExp(find);
        re.lastIndex = start - 1;
        const m = re.exec(within);
        at = m ? m.index : -1;
      } else {
        at = within.indexOf(find, start - 1);
      }
      return at < 0 ? valueError('Text not found.') : at + 1;
    });
  }

  find(ast, state) {
    return this.locate(ast, state, false);
  }

  search(ast, state) {
    return this.locate(ast, state, true);
  }
}

FindPlugin.implementedFunctions = {
  FIND: { method: 'find', parameters: [ARG, ARG, START] },
  FINDB: { method: 'find', parameters: [ARG, ARG, START] },
  SEARCH: { method: 'search', parameters: [ARG, ARG, START] },
  SEARCHB: { method: 'search', parameters: [ARG, ARG, START] },
};

export default { plugin: FindPlugin };
