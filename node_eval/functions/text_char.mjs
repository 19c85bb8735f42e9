// CHAR, CODE, UNICHAR and UNICODE.
//
// Replaces HyperFormula's versions: its CHAR(128) was U+0080 where Windows Excel uses
// its ANSI code page, Windows-1252 (CHAR(128) is "€", CHAR(150) "–"), and CODE was
// the UTF-16 unit. Excel: CHAR takes 1..255 (truncated, else #VALUE!), CODE gives the
// Windows-1252 code of the first character (63, "?", for a character outside it),
// UNICHAR takes 1..1114111 (#N/A for a lone surrogate half), UNICODE gives the first
// code point; CODE("") and UNICODE("") are #VALUE!.

import { CellError, ErrorType, FunctionArgumentType, FunctionPlugin } from 'hyperformula';

import { isError, toNumber, toText, valueError } from './lib/text-args.mjs';

const ARG = { argumentType: FunctionArgumentType.NOERROR };

// Windows-1252 bytes 0x80-0x9F; the five unassigned bytes map to themselves.
const CP1252 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

class CharPlugin extends FunctionPlugin {
  number(value) {
    const n = toNumber(value, this.config);
    return isError(n) ? n : Math.trunc(n);
  }

  char(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CHAR'), (value) => {
      const n = this.number(value);
      if (isError(n)) return n;
      if (n < 1 || n > 255) return valueError('CHAR takes 1 to 255.');
      return String.fromCharCode(n >= 0x80 && n <= 0x9f ? CP1252[n - 0x80] : n);
    });
  }

  code(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('CODE'), (value) => {
      const t = toText(value);
      if (isError(t)) return t;
      if (t === '') return valueError('Empty text.');
      const u = t.charCodeAt(0);
      if (u < 0x80 || (u >= 0xa0 && u <= 0xff)) return u;
      const i = CP1252.indexOf(u);
      return i >= 0 ? 0x80 + i : 63;
    });
  }

  unichar(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('UNICHAR'), (value) => {
      const n = this.number(value);
      if (isError(n)) return n;
      if (n < 1 || n > 0x10ffff) return valueError('UNICHAR takes 1 to 1114111.');
      if (n >= 0xd800 && n <= 0xdfff) return new CellError(ErrorType.NA, 'A surrogate half is not a character.');
      return String.fromCodePoint(n);
    });
  }

  unicode(ast, state) {
    return this.runFunction(ast.args, state, this.metadata('UNICODE'), (value) => {
      const t = toText(value);
      if (isError(t)) return t;
      return t === '' ? valueError('Empty text.') : t.codePointAt(0);
    });
  }
}

CharPlugin.implementedFunctions = {
  CHAR: { method: 'char', parameters: [ARG] },
  CODE: { method: 'code', parameters: [ARG] },
  UNICHAR: { method: 'unichar', parameters: [ARG] },
  UNICODE: { method: 'unicode', parameters: [ARG] },
};

export default { plugin: CharPlugin };
