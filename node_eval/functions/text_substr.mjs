// LEFT, RIGHT, MID, LEN and their byte versions LEFTB, RIGHTB, MIDB, LENB.
//
// Replaces HyperFormula's LEFT/RIGHT/MID/LEN, which turn a number into text with JS's
// toString (LEN(1/3) was 18; Excel's text of 1/3 is "0.333333333333333", 17 characters)
// and read text counts with their own date formats. Excel: counts are truncated
// (LEFT("abc",1.9) is "a"), a negative count or a start below 1 is #VALUE!, a start past
// the end gives "". Lengths count UTF-16 code units, as Excel does. The B versions
// count bytes only when a double-byte language is Excel's default; for the en-US
// Excel this engine reproduces they equal the character versions.

import { FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { isError, toNumber, toText, valueError } from './lib/text-args.mjs';

const TEXT = { argumentType: FunctionArgumentType.NOERROR };
const COUNT = { argumentType: FunctionArgumentType.NOERROR, optionalArg: true };

class SubstringPlugin extends FunctionPlugin {
  /** Coerce (text, ...numbers) and call fn; undefined numbers stay undefined. */
  cut(ast, state, name, fn) {
    return this.runFunction(ast.args, state, this.metadata(name), (text, ...counts) => {
      const t = toText(text);
      if (isError(t)) return t;
      const numbers = [];
      for (const count of counts) {
        const n = count === undefined ? undefined : toNumber(count, this.config);
        if (isError(n)) return n;
        numbers.push(n === undefined ? undefined : Math.trunc(n));
      }
      return fn(t, ...numbers);
    });
  }

  left(ast, state) {
    return this.cut(ast, state, this.nameOf(ast, 'LEFT'), (t, n = 1) => (n < 0 ? valueError('Negative count.') : t.slice(0, n)));
  }

  right(ast, state) {
    return this.cut(ast, state, this.nameOf(ast, 'RIGHT'), (t, n = 1) => {
      if (n < 0) return valueError('Negative count.');
      return n === 0 ? '' : t.slice(Math.max(0, t.length - n));
    });
  }

  mid(ast, state) {
    return this.cut(ast, state, this.nameOf(ast, 'MID'), (t, start, n) => {
      if (start < 1) return valueError('Start below 1.');
      if (n < 0) return valueError('Negative count.');
      return t.slice(start - 1, start - 1 + n);
    });
  }

  len(ast, state) {
    return this.cut(ast, state, this.nameOf(ast, 'LEN'), (t) => t.length);
  }

  /** LEFTB and LEFT share a method; metadata comes from the name actually called. */
  nameOf(ast, plain) {
    const called = String(ast.procedureName ?? '').toUpperCase();
    return called === `${plain}B` ? called : plain;
  }
}

SubstringPlugin.implementedFunctions = {
  LEFT: { method: 'left', parameters: [TEXT, COUNT] },
  LEFTB: { method: 'left', parameters: [TEXT, COUNT] },
  RIGHT: { method: 'right', parameters: [TEXT, COUNT] },
  RIGHTB: { method: 'right', parameters: [TEXT, COUNT] },
  MID: { method: 'mid', parameters: [TEXT, TEXT, TEXT] },
  MIDB: { method: 'mid', parameters: [TEXT, TEXT, TEXT] },
  LEN: { method: 'len', parameters: [TEXT] },
  LENB: { method: 'len', parameters: [TEXT] },
};

export default { plugin: SubstringPlugin };
