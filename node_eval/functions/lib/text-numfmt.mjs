// Excel's number format codes, as the TEXT function applies them (en-US).
//
// formatValue(value, code, date1904) returns the text, or undefined when Excel's TEXT
// gives #VALUE! (an invalid code, a date outside 1900..9999, a negative date).
//
// What it implements (Excel's documented format language, plus the behaviour measured
// in Excel for the odd cases):
// - up to four ;-sections (positive; negative; zero; text), conditions [>100] (at most
//   two), the automatic minus of the sections that show |value|, colours, [$€-409]
//   currency/locale tags, [DBNum1];
// - literals "...", \x, _x (a space), *x (TEXT drops the fill), and the characters Excel
//   shows as they are;
// - numbers: 0 # ? placeholders, the decimal point, thousands separators and trailing
//   commas (each divides by 1,000), % (multiplies by 100), E+ E- e+ e- scientific with
//   engineering steps (##0.0E+0), fractions (# ?/?, ?/8), General inside a section;
// - dates and times: y yy yyy yyyy, m mm mmm mmmm mmmmm (minutes after h or next to s),
//   d dd ddd dddd, h hh, s ss, .0 .00 .000, AM/PM A/P a/p, elapsed [h] [mm] [ss];
// - text: @ in the text section.

import { generalCell, roundDecimal, decimalParts } from './text-general.mjs';
import { DAYS, MONTHS, maxSerial, serialToDate } from './text-dates.mjs';

class FormatError extends Error {}

const fail = (why) => {
  throw new FormatError(why);
};

const COLORS = /^(black|blue|cyan|green|magenta|red|white|yellow|colou?r\s*\d{1,2})$/i;
const CONDITION = /^(<>|<=|>=|=<|=>|<|>|=)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*$/i;

/** Tokens of a whole format code; {t: 'sep'} between sections. */
function tokenize(code) {
  const tokens = [];
  const lit = (v) => tokens.push({ t: 'lit', v });
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    const lower = c.toLowerCase();
    if (c === '"') {
      const end = code.indexOf('"', i + 1);
      if (end < 0) fail('unterminated quote');
      lit(code.slice(i + 1, end));
      i = end + 1;
    } else if (c === '\\') {
      if (i + 1 < code.length) lit(code[i + 1]);
      i += 2;
    } else if (c === '_') {
      lit(' ');
      i += 2;
    } else if (c === '*') {
      i += 2; // fill character: TEXT emits nothing
    } else if (c === '[') {
      const end = code.indexOf(']', i + 1);
      if (end < 0) fail('unterminated bracket');
      tokens.push(bracket(code.slice(i + 1, end)));
      i = end + 1;
    } else if (c === ';') {
      tokens.push({ t: 'sep' });
      i += 1;
    } else if (c === '0' || c === '#' || c === '?') {
      tokens.push({ t: 'digit', v: c });
      i += 1;
    } else if (c >= '1' && c <= '9') {
      tokens.push({ t: 'lit', v: c, digit: true });
      i += 1;
    } else if (c === '.') {
      tokens.push({ t: 'point' });
      i += 1;
    } else if (c === ',') {
      tokens.push({ t: 'comma' });
      i += 1;
    } else if (c === '%') {
      tokens.push({ t: 'percent' });
      i += 1;
    } else if (c === '/') {
      tokens.push({ t: 'slash' });
      i += 1;
    } else if (c === '@') {
      tokens.push({ t: 'at' });
      i += 1;
    } else if (lower === 'e' && (code[i + 1] === '+' || code[i + 1] === '-')) {
      tokens.push({ t: 'exp', v: c, plus: code[i + 1] === '+' });
      i += 2;
    } else if (code.slice(i, i + 7).toLowerCase() === 'general') {
      tokens.push({ t: 'general' });
      i += 7;
    } else if (code.slice(i, i + 5).toUpperCase() === 'AM/PM') {
      tokens.push({ t: 'ampm', am: 'AM', pm: 'PM' });
      i += 5;
    } else if (code.slice(i, i + 3).toUpperCase() === 'A/P') {
      tokens.push({ t: 'ampm', am: code[i], pm: code[i + 2] });
      i += 3;
    } else if ('ymdhse'.includes(lower)) {
      let j = i;
      while (j < code.length && code[j].toLowerCase() === lower) j += 1;
      tokens.push({ t: 'date', k: lower === 'e' ? 'y' : lower, n: lower === 'e' ? 4 : j - i });
      i = j;
    } else {
      lit(c);
      i += 1;
    }
  }
  return tokens;
}

/** A [...] part: condition, elapsed time, currency/locale, colour, numeral system. */
function bracket(inner) {
  const condition = CONDITION.exec(inner);
  if (condition) {
    const op = { '=<': '<=', '=>': '>=' }[condition[1]] ?? condition[1];
    return { t: 'cond', op, value: Number(condition[2]) };
  }
  if (/^(h+|m+|s+)$/i.test(inner)) return { t: 'elapsed', k: inner[0].toLowerCase(), n: inner.length };
  if (inner[0] === '$') {
    const dash = inner.indexOf('-');
    const symbol = dash < 0 ? inner.slice(1) : inner.slice(1, dash);
    return { t: 'lit', v: symbol };
  }
  if (COLORS.test(inner) || /^(dbnum|natnum)\d*$/i.test(inner)) return { t: 'lit', v: '' };
  return fail(`unknown [${inner}]`);
}

const isDigit = (tok) => tok?.t === 'digit';

/** Split tokens into sections and classify each one. */
function parseSections(tokens) {
  const sections = [[]];
  for (const tok of tokens) {
    if (tok.t === 'sep') sections.push([]);
    else sections.at(-1).push(tok);
  }
  if (sections.length > 4) fail('more than four sections');
  return sections.map(analyse);
}

function analyse(raw) {
  const section = { cond: undefined, kind: 'number' };
  const tokens = [];
  for (const tok of raw) {
    if (tok.t === 'cond') {
      if (section.cond) fail('two conditions in a section');
      section.cond = tok;
    } else {
      tokens.push(tok);
    }
  }
  section.tokens = tokens;
  const has = (t) => tokens.some((tok) => tok.t === t);
  const digits = has('digit');
  const dates = has('date') || has('elapsed') || has('ampm');
  if (has('at')) {
    if (digits || dates || has('general')) fail('@ mixed with a number or date');
    section.kind = 'text';
  } else if (dates) {
    analyseDate(section);
  } else if (has('general')) {
    if (digits) fail('General mixed with digits');
    section.kind = 'general';
  } else {
    analyseNumber(section);
  }
  return section;
}

// -- dates and times ---------------------------------------------------------------------

function analyseDate(section) {
  section.kind = 'date';
  const tokens = section.tokens;
  const out = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.t === 'point' && isDigit(tokens[i + 1]) && tokens[i + 1].v === '0') {
      let j = i + 1;
      while (isDigit(tokens[j]) && tokens[j].v === '0') j += 1;
      out.push({ t: 'subsec', n: Math.min(j - i - 1, 3) });
      i = j - 1;
    } else if (tok.t === 'digit' || tok.t === 'exp' || tok.t === 'general') {
      fail('digits in a date format');
    } else if (tok.t === 'point') {
      out.push({ t: 'lit', v: '.' });
    } else if (tok.t === 'comma' || tok.t === 'slash' || tok.t === 'percent') {
      out.push({ t: 'lit', v: { comma: ',', slash: '/', percent: '%' }[tok.t] });
    } else {
      out.push(tok);
    }
  }
  // m/mm is minutes right after an hour (or second), or right before a second.
  const parts = out.filter((tok) => tok.t === 'date' || tok.t === 'elapsed');
  parts.forEach((tok, k) => {
    if (tok.t === 'date' && tok.k === 'm' && tok.n <= 2) {
      const prev = parts[k - 1];
      const next = parts[k + 1];
      const isHS = (p, kinds) => p && kinds.includes(p.k);
      if (isHS(prev, 'hs') || isHS(next, 's')) tok.minute = true;
    }
  });
  section.tokens = out;
  section.ampm = out.some((tok) => tok.t === 'ampm');
  section.subsec = Math.max(0, ...out.filter((tok) => tok.t === 'subsec').map((tok) => tok.n));
  section.elapsed = new Set(out.filter((tok) => tok.t === 'elapsed').map((tok) => tok.k));
  // Only elapsed parts (e.g. [h], [mm]): negative values and values past 9999 are allowed.
  section.elapsedOnly = !out.some((tok) => tok.t === 'date' || tok.t === 'ampm' || tok.t === 'subsec');
}

const pad2 = (n, width) => String(n).padStart(width, '0');

function renderDate(value, section, date1904) {
  const scale = 10 ** section.subsec;
  const units = Math.round(value * 86400 * scale); // whole units of the smallest shown part
  const perDay = 86400 * scale;
  const days = Math.floor(units / perDay);
  if (!section.elapsedOnly && days > maxSerial(date1904)) return undefined;
  const inDay = units - days * perDay;
  const sub = inDay % scale;
  const secs = (inDay - sub) / scale;
  const totalSecs = Math.floor(units / scale);
  const hour = Math.floor(secs / 3600);
  const minute = Math.floor(secs / 60) % 60;
  const second = secs % 60;
  const date = section.elapsedOnly ? undefined : serialToDate(days, date1904);
  let out = '';
  for (const tok of section.tokens) {
    switch (tok.t) {
      case 'lit':
        out += tok.v;
        break;
      case 'elapsed': {
        const n = { h: Math.floor(totalSecs / 3600), m: Math.floor(totalSecs / 60), s: totalSecs }[tok.k];
        out += pad2(n, tok.n);
        break;
      }
      case 'subsec':
        out += `.${pad2(sub, section.subsec).slice(0, tok.n)}`;
        break;
      case 'ampm':
        out += hour < 12 ? tok.am : tok.pm;
        break;
      case 'date':
        out += datePart(tok, { date, hour, minute, second, totalSecs, section });
        break;
      default:
        break;
    }
  }
  return out;
}

function datePart(tok, { date, hour, minute, second, totalSecs, section }) {
  const { n } = tok;
  switch (tok.k) {
    case 'y':
      return n <= 2 ? pad2(date.year % 100, 2) : pad2(date.year, 4);
    case 'm':
      if (tok.minute) return pad2(section.elapsed.has('m') ? Math.floor(totalSecs / 60) : minute, Math.min(n, 2));
      if (n <= 2) return pad2(date.month, n);
      if (n === 3) return MONTHS[date.month - 1].slice(0, 3);
      if (n === 5) return MONTHS[date.month - 1][0];
      return MONTHS[date.month - 1];
    case 'd':
      if (n <= 2) return pad2(date.day, n);
      return n === 3 ? DAYS[date.weekday].slice(0, 3) : DAYS[date.weekday];
    case 'h': {
      if (section.elapsed.has('h')) return pad2(Math.floor(totalSecs / 3600), Math.min(n, 2));
      const h = section.ampm ? hour % 12 || 12 : hour;
      return pad2(h, Math.min(n, 2));
    }
    case 's':
      return pad2(section.elapsed.has('s') ? totalSecs : second, Math.min(n, 2));
    default:
      return '';
  }
}

// -- numbers -------------------------------------------------------------------------------

function analyseNumber(section) {
  const tokens = section.tokens;
  const expAt = tokens.findIndex((tok) => tok.t === 'exp');
  const slashAt = fractionSlash(tokens);
  if (expAt >= 0) analyseScientific(section, expAt);
  else if (slashAt >= 0) analyseFraction(section, slashAt);
  else analysePlain(section);
}

/** Roles of the commas in tokens[from, to): grouping, scaling, dropped or literal. */
function commaRoles(tokens, from, to, intEnd, { scaling }) {
  let scale = 0;
  let grouping = false;
  for (let k = from; k < to; k++) {
    if (tokens[k].t !== 'comma') continue;
    let j = k;
    while (j < to && tokens[j].t === 'comma') j += 1;
    const after = tokens.slice(j, to);
    const prev = tokens[k - 1];
    if (!(isDigit(prev) || prev?.digit || prev?.t === 'point')) {
      // After a literal: one literal comma (Excel drops the rest of the run).
      tokens[k] = { t: 'lit', v: ',' };
      for (let m = k + 1; m < j; m++) tokens[m] = { t: 'lit', v: '' };
    } else if (scaling && (!after.some(isDigit) || tokens[j]?.t === 'point')) {
      scale += j - k;
      for (let m = k; m < j; m++) tokens[m] = { t: 'lit', v: '' };
    } else {
      if (isDigit(tokens[j]) && k < intEnd) grouping = true;
      for (let m = k; m < j; m++) tokens[m] = { t: 'lit', v: '' };
    }
    k = j - 1;
  }
  return { scale, grouping };
}

function analysePlain(section) {
  const tokens = section.tokens;
  let pointAt = tokens.findIndex((tok) => tok.t === 'point');
  if (pointAt < 0) pointAt = tokens.length;
  const { scale, grouping } = commaRoles(tokens, 0, tokens.length, pointAt, { scaling: true });
  const percents = tokens.filter((tok) => tok.t === 'percent').length;
  Object.assign(section, {
    mode: 'plain',
    pointAt,
    grouping,
    factor: 100 ** percents / 1000 ** scale,
    intSlots: tokens.slice(0, pointAt).filter(isDigit).map((tok) => tok.v),
    fracSlots: tokens.slice(pointAt + 1).filter(isDigit).map((tok) => tok.v),
  });
}

function analyseScientific(section, expAt) {
  const tokens = section.tokens;
  let pointAt = tokens.slice(0, expAt).findIndex((tok) => tok.t === 'point');
  if (pointAt < 0) pointAt = expAt;
  const { grouping } = commaRoles(tokens, 0, tokens.length, pointAt, { scaling: false });
  Object.assign(section, {
    mode: 'scientific',
    pointAt,
    expAt,
    grouping,
    intSlots: tokens.slice(0, pointAt).filter(isDigit).map((tok) => tok.v),
    fracSlots: tokens.slice(pointAt + 1, expAt).filter(isDigit).map((tok) => tok.v),
    expSlots: tokens.slice(expAt + 1).filter(isDigit).map((tok) => tok.v),
  });
}

const isSpace = (tok) => tok?.t === 'lit' && !tok.digit && /^ +$/.test(tok.v);

/** Index of the fraction slash: digits before it and digits after it (spaces allowed between). */
function fractionSlash(tokens) {
  return tokens.findIndex((tok, k) => {
    if (tok.t !== 'slash') return false;
    let before = k - 1;
    while (isSpace(tokens[before])) before -= 1;
    let after = k + 1;
    while (isSpace(tokens[after])) after += 1;
    return isDigit(tokens[before]) && (isDigit(tokens[after]) || tokens[after]?.digit);
  });
}

function analyseFraction(section, slashAt) {
  const tokens = section.tokens;
  let numEnd = slashAt;
  while (isSpace(tokens[numEnd - 1])) numEnd -= 1;
  let numStart = numEnd;
  while (isDigit(tokens[numStart - 1])) numStart -= 1;
  let denStart = slashAt + 1;
  while (isSpace(tokens[denStart])) denStart += 1;
  let denEnd = denStart;
  let fixed;
  if (tokens[denEnd]?.digit) {
    let text = '';
    while (tokens[denEnd]?.digit || (isDigit(tokens[denEnd]) && tokens[denEnd].v === '0')) {
      text += tokens[denEnd].v;
      denEnd += 1;
    }
    fixed = Number(text);
  } else {
    while (isDigit(tokens[denEnd])) denEnd += 1;
  }
  const intEnd = tokens.slice(0, numStart).findLastIndex(isDigit) + 1;
  const { scale, grouping } = commaRoles(tokens, 0, tokens.length, intEnd, { scaling: true });
  const percents = tokens.filter((tok) => tok.t === 'percent').length;
  Object.assign(section, {
    mode: 'fraction',
    grouping,
    factor: 100 ** percents / 1000 ** scale,
    intEnd,
    numStart,
    numEnd,
    denStart,
    denEnd,
    fixed,
    intSlots: tokens.slice(0, intEnd).filter(isDigit).map((tok) => tok.v),
    numSlots: tokens.slice(numStart, numEnd).map((tok) => tok.v),
    denSlots: fixed === undefined ? tokens.slice(denStart, denEnd).map((tok) => tok.v) : [],
  });
}

const PAD = { 0: '0', '#': '', '?': ' ' };

/**
 * Right-aligned digits in placeholder slots: one string per slot; the first slot takes
 * any extra leading digits. With grouping, a separator follows every third digit.
 */
function fillInteger(digits, slots, grouping) {
  const n = slots.length;
  const out = [];
  for (let j = 0; j < n; j++) {
    const top = j === 0 ? Math.max(digits.length - 1, n - 1) : n - 1 - j;
    const bottom = n - 1 - j;
    let text = '';
    for (let pos = top; pos >= bottom; pos--) {
      const real = pos < digits.length;
      text += real ? digits[digits.length - 1 - pos] : PAD[slots[j]];
      if (grouping && pos > 0 && pos % 3 === 0) {
        text += real || slots[j] === '0' ? ',' : PAD[slots[j]];
      }
    }
    out.push(text);
  }
  return out;
}

/** Left-aligned decimals: a slot shows its digit while a non-zero digit is still to come. */
function fillDecimals(frac, slots) {
  let last = -1;
  for (let i = frac.length - 1; i >= 0; i--) {
    if (frac[i] !== '0') {
      last = i;
      break;
    }
  }
  return slots.map((slot, i) => (i <= last ? frac[i] : PAD[slot]));
}

/** Render tokens, taking the k-th digit slot's text from slotText(k). */
function emit(tokens, from, to, slotText) {
  let out = '';
  let k = 0;
  for (let i = from; i < to; i++) {
    const tok = tokens[i];
    if (tok.t === 'digit') out += slotText(k++);
    else if (tok.t === 'lit') out += tok.v;
    else if (tok.t === 'point') out += '.';
    else if (tok.t === 'percent') out += '%';
    else if (tok.t === 'slash') out += '/';
  }
  return out;
}

function renderPlain(x, section) {
  const { tokens, pointAt, intSlots, fracSlots } = section;
  const { int, frac } = roundDecimal(x * section.factor, fracSlots.length);
  const ints = fillInteger(int, intSlots, section.grouping);
  const decs = fillDecimals(frac, fracSlots);
  let text = emit(tokens, 0, pointAt, (k) => ints[k]);
  if (pointAt < tokens.length) {
    // With no integer placeholder, the integer digits still show, just before the point.
    if (intSlots.length === 0) text += int;
    text += `.${emit(tokens, pointAt + 1, tokens.length, (k) => decs[k])}`;
  }
  return { text, zero: !/[1-9]/.test(int + frac) };
}

function renderScientific(x, section) {
  const { tokens, pointAt, expAt, intSlots, fracSlots, expSlots } = section;
  const step = Math.max(intSlots.length, 1);
  let exp = 0;
  let mant = { int: '0'.repeat(step), frac: '0'.repeat(fracSlots.length) };
  if (x !== 0) {
    const e10 = decimalParts(x).exp;
    exp = intSlots.length === 0 ? e10 + 1 : Math.floor(e10 / step) * step;
    const scaled = (e) => (e >= 0 ? x / 10 ** e : x * 10 ** -e);
    mant = roundDecimal(scaled(exp), fracSlots.length);
    const limit = intSlots.length === 0 ? 0 : step;
    if (mant.int.length > limit) {
      exp += step;
      mant = roundDecimal(scaled(exp), fracSlots.length);
    }
  }
  const ints = fillInteger(mant.int, intSlots, section.grouping);
  const decs = fillDecimals(mant.frac, fracSlots);
  const expDigits = String(Math.abs(exp));
  const sign = exp < 0 ? '-' : tokens[expAt].plus ? '+' : '';
  const exps = fillInteger(expDigits, expSlots, false);
  let out = emit(tokens, 0, pointAt, (k) => ints[k]);
  if (pointAt < expAt) out += `.${emit(tokens, pointAt + 1, expAt, (k) => decs[k])}`;
  out += tokens[expAt].v;
  out += expSlots.length
    ? emit(tokens, expAt + 1, tokens.length, (k) => (k === 0 ? sign : '') + exps[k])
    : sign + expDigits + emit(tokens, expAt + 1, tokens.length, () => '');
  return { text: out, zero: x === 0 };
}

/**
 * The last continued-fraction convergent of x whose denominator is at most maxDen,
 * as [numerator, denominator]: Excel's fractions (12.3 with "# ?/?" is 12 1/3, not
 * the nearer 12 2/7; 0.456 with "??/??" is 26/57).
 */
function convergent(x, maxDen) {
  let [p0, q0, p1, q1] = [0, 1, 1, 0];
  let b = x;
  for (let i = 0; i < 64; i++) {
    const a = Math.floor(b);
    const [p, q] = [a * p1 + p0, a * q1 + q0];
    if (q > maxDen) break;
    [p0, q0, p1, q1] = [p1, q1, p, q];
    const rest = b - a;
    if (rest === 0 || Math.abs(x - p / q) < 1e-13 * x) break; // exact to Excel's precision
    b = 1 / rest;
  }
  return [p1, q1];
}

function renderFraction(x, section) {
  const { tokens, intSlots, numSlots, denSlots, fixed, intEnd, numStart, numEnd, denStart, denEnd } = section;
  const v = x * section.factor;
  const hasInt = intSlots.length > 0;
  let whole = 0;
  let num;
  let den;
  if (fixed !== undefined) {
    whole = hasInt ? Math.floor(v) : 0;
    [num, den] = [Math.round((v - whole) * fixed), fixed];
  } else {
    const [p, q] = convergent(v, 10 ** denSlots.length - 1);
    whole = hasInt ? Math.floor(p / q) : 0;
    [num, den] = [p - whole * q, q];
  }
  if (hasInt && num === den && num > 0) {
    whole += 1;
    num = 0;
  }
  const slots = [...numSlots, ...denSlots];
  const shown = num !== 0 || slots.includes('0') || !hasInt;
  const wholeText = hasInt ? (whole > 0 ? String(whole) : shown ? '' : '0') : '';
  const ints = fillInteger(wholeText, intSlots, section.grouping);
  let out = emit(tokens, 0, intEnd, (k) => ints[k]);
  if (shown) {
    const nums = fillInteger(String(num), numSlots, false);
    out += emit(tokens, intEnd, numEnd, (k) => nums[k]);
    out += emit(tokens, numEnd, denStart, () => '');
    const denText = String(den);
    if (fixed !== undefined) out += denText;
    else out += emit(tokens, denStart, denEnd, (k) => denText[k] ?? PAD[denSlots[k]]);
  } else if (slots.some((slot) => slot !== '#')) {
    // No fraction to show: Excel keeps its width with spaces.
    for (let i = intEnd; i < denEnd; i++) {
      const tok = tokens[i];
      if (tok.t === 'lit') out += ' '.repeat(tok.v.length);
      else if (tok.t === 'slash' || (tok.t === 'digit' && tok.v !== '#')) out += ' ';
    }
  }
  out += emit(tokens, denEnd, tokens.length, () => '');
  return { text: out, zero: v === 0 };
}

function renderGeneral(x, section) {
  let out = '';
  for (const tok of section.tokens) {
    if (tok.t === 'general') out += generalCell(x);
    else if (tok.t === 'lit') out += tok.v;
    else if (tok.t === 'point') out += '.';
    else if (tok.t === 'percent') out += '%';
    else if (tok.t === 'comma') out += ',';
    else if (tok.t === 'slash') out += '/';
  }
  return { text: out, zero: x === 0 };
}

const GENERAL = { kind: 'general', tokens: [{ t: 'general' }] };

/** Pick the section for a number and whether it shows the value's minus sign. */
function chooseSection(value, sections) {
  const numbers = sections.filter((s, i) => s.kind !== 'text' && !(i === 3));
  const conditional = numbers.some((s) => s.cond);
  if (conditional) {
    if (numbers.filter((s) => s.cond).length > 2) fail('more than two conditions');
    const parts = numbers.slice(0, 3).map((s) => ({ ...s }));
    if (!parts[0].cond) parts[0].cond = { op: '>', value: 0 };
    if (parts.length === 1) parts.push({ ...GENERAL });
    // Which sections get the automatic minus (measured in Excel): not the ones whose
    // condition only admits negative numbers.
    const negativeOnly = (c) => c && ((c.value < 0 && ['<', '<=', '='].includes(c.op)) || (c.value === 0 && c.op === '<'));
    if (parts.length < 3) {
      parts[0].minus = !negativeOnly(parts[0].cond);
      if (parts[1].cond) parts[1].minus = !negativeOnly(parts[1].cond);
      else {
        const c = parts[0].cond;
        parts[1].minus = c.op === '=' || (c.value >= 0 && (c.op === '>' || c.op === '>='));
      }
    } else {
      for (const p of parts) p.minus = !negativeOnly(p.cond);
    }
    const matches = (c) => {
      if (!c) return true;
      switch (c.op) {
        case '=': return value === c.value;
        case '<>': return value !== c.value;
        case '<': return value < c.value;
        case '<=': return value <= c.value;
        case '>': return value > c.value;
        default: return value >= c.value;
      }
    };
    const chosen = parts.find((p) => matches(p.cond));
    if (!chosen) fail('no section matches');
    return chosen;
  }
  const first = numbers[0] ?? GENERAL;
  if (value > 0) return { ...first, minus: false };
  if (value < 0) return numbers[1] ? { ...numbers[1], minus: false } : { ...first, minus: true };
  return { ...(numbers[2] ?? first), minus: false };
}

function formatNumber(value, sections, date1904) {
  const section = chooseSection(value, sections);
  const negative = value < 0 && section.minus;
  const x = Math.abs(value);
  if (section.kind === 'date') {
    if (negative && !section.elapsedOnly) return undefined; // Excel: no negative dates
    const text = renderDate(x, section, date1904);
    return text === undefined ? undefined : (negative ? '-' : '') + text;
  }
  if (section.kind === 'text') return renderText(String(value), section);
  const render = { plain: renderPlain, scientific: renderScientific, fraction: renderFraction }[section.mode];
  const { text, zero } = section.kind === 'general' ? renderGeneral(x, section) : render(x, section);
  const digits = section.kind === 'general' || section.tokens.some(isDigit);
  const showMinus = negative && (!digits || !zero || section.mode === 'fraction');
  return (showMinus ? '-' : '') + text;
}

function renderText(text, section) {
  let out = '';
  for (const tok of section.tokens) {
    if (tok.t === 'at') out += text;
    else if (tok.t === 'lit') out += tok.v;
    else if (tok.t === 'point') out += '.';
    else if (tok.t === 'percent') out += '%';
    else if (tok.t === 'comma') out += ',';
    else if (tok.t === 'slash') out += '/';
    else if (tok.t === 'digit') out += tok.v;
  }
  return out;
}

/** Parsed sections of a format code, or the FormatError that makes it invalid. */
function parse(code) {
  try {
    const sections = parseSections(tokenize(code));
    const texts = sections.filter((s) => s.kind === 'text');
    if (texts.length > 1) fail('two text sections');
    if (texts.length === 1 && sections.indexOf(texts[0]) !== sections.length - 1) fail('@ before the last section');
    const last = sections[3];
    if (last && (last.kind === 'date' || last.tokens.some(isDigit))) fail('fourth section is not text');
    return sections;
  } catch (error) {
    if (error instanceof FormatError) return error;
    throw error;
  }
}

/**
 * Format a number or a text with an Excel format code. Returns the text, or undefined
 * for #VALUE!. Text uses the text section (the fourth, or the one with @) and is
 * otherwise returned unchanged.
 */
export function formatValue(value, code, date1904 = false) {
  const sections = parse(code);
  if (sections instanceof FormatError) return undefined;
  if (typeof value === 'string') {
    const textSection = sections.length === 4 ? sections[3] : sections.find((s) => s.kind === 'text');
    return textSection ? renderText(value, textSection) : value;
  }
  try {
    return formatNumber(value, sections, date1904);
  } catch (error) {
    if (error instanceof FormatError) return undefined;
    throw error;
  }
}
