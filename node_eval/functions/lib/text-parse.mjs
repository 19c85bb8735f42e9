// Excel's reading of text as a number (en-US), as VALUE, TEXT and every function that
// coerces a text argument to a number do it: =VALUE("$1,000") is 1000, "(5)" is -5,
// "40%" is 0.4, "1e-5", "1 1/2", "10:30 PM", "6/4/1982", "6-Nov-82", "Nov 6, 1982 14:00".
//
// parseNumber(text, date1904) returns the number or undefined (Excel's #VALUE!);
// parseDateTime(text, date1904) reads only dates and times, for DATEVALUE/TIMEVALUE.
// Dates are month-first (en-US); a date without a year takes the current year, as in
// Excel. Two-digit years 00-29 are 2000-2029, 30-99 are 1930-1999.

import { MONTHS, dateToSerial, daysInMonth } from './text-dates.mjs';

const NUMBER = new RegExp(
  [
    '^(\\()? *', // 1 opening parenthesis (negative)
    '([+-])? *', // 2 sign
    '([$€£¥])? *', // 3 leading currency
    '([+-])? *', // 4 sign after the currency
    '(\\d{1,3}(?:,\\d{3})+(?:\\.\\d*)?|\\d+(?:\\.\\d*)?|\\.\\d+)', // 5 digits
    '(?:[eE]([+-]?\\d+))?', // 6 exponent
    ' *(%)?', // 7 percent
    ' *([$€])?', // 8 trailing currency
    ' *(\\))?$', // 9 closing parenthesis
  ].join(''),
);

function parsePlainNumber(s) {
  const m = NUMBER.exec(s);
  if (!m) return undefined;
  const [, open, sign1, cur1, sign2, body, exp, pct, cur2, close] = m;
  if (Boolean(open) !== Boolean(close)) return undefined;
  if ((sign1 && sign2) || (open && (sign1 || sign2)) || (cur1 && cur2)) return undefined;
  let value = Number(body.replace(/,/g, '') + (exp ? `e${exp}` : ''));
  if (!Number.isFinite(value)) return undefined;
  if (pct) value /= 100;
  if (open || sign1 === '-' || sign2 === '-') value = -value;
  return value;
}

const MIXED_FRACTION = /^([+-]?) *(\d+) +(\d+)\/(\d+)$/;

/** A mixed fraction as typed into Excel, "1 1/2" (1.5), or undefined. */
function parseFraction(s) {
  const m = MIXED_FRACTION.exec(s);
  if (!m || Number(m[4]) === 0) return undefined;
  const value = Number(m[2]) + Number(m[3]) / Number(m[4]);
  return m[1] === '-' ? -value : value;
}

const TIME = /^(\d+)(?::(\d+))?(?::(\d+))?(\.\d*)? *(am|pm|a|p)?$/i;

/** A time of day (or a duration) as a fraction of a day, or undefined. */
function parseTime(s) {
  const m = TIME.exec(s);
  if (!m) return undefined;
  const [, a, b, c, dec, ampm] = m;
  if (b === undefined && !ampm) return undefined;
  if (b === undefined && dec) return undefined;
  const fraction = dec && dec.length > 1 ? Number(`0${dec}`) : 0;
  let h = 0;
  let min = 0;
  let sec = 0;
  if (c !== undefined) {
    [h, min, sec] = [Number(a), Number(b), Number(c) + fraction];
    if (min >= 60 || sec >= 10000 || (sec >= 60 && h >= 24)) return undefined;
  } else if (b !== undefined && dec && dec.length > 1) {
    // Two fields with decimals are minutes and seconds.
    [min, sec] = [Number(a), Number(b) + fraction];
    if (min >= 60 || sec >= 10000) return undefined;
  } else if (b !== undefined) {
    [h, min] = [Number(a), Number(b)];
    if (min >= 10000 || (min >= 60 && h >= 24)) return undefined;
  } else {
    h = Number(a);
  }
  if (h >= 10000) return undefined;
  if (ampm) {
    if (h > 12) return undefined;
    const pm = ampm[0].toLowerCase() === 'p';
    h = (h % 12) + (pm ? 12 : 0);
  }
  return (h * 3600 + min * 60 + sec) / 86400;
}

/** Month number of an English month name or abbreviation ("Sept" too), else 0. */
function monthNumber(word) {
  const w = word.toLowerCase();
  if (w === 'sept') return 9;
  const i = MONTHS.findIndex((name) => name.toLowerCase() === w || (w.length === 3 && name.slice(0, 3).toLowerCase() === w));
  return i + 1;
}

function fullYear(text) {
  const y = Number(text);
  if (text.length <= 2) return y < 30 ? 2000 + y : 1900 + y;
  return text.length === 4 ? y : undefined;
}

/** Split a date into numbers, month names and the separators between them. */
function dateParts(s) {
  const parts = [];
  const seps = [];
  const re = /(\d+|[a-z]+)|( *[/-] *| *, *| +)/giy;
  let m;
  let last = 'sep';
  while ((m = re.exec(s)) !== null) {
    if (m[1] !== undefined) {
      if (last === 'part') seps.push('');
      parts.push(m[1]);
      last = 'part';
    } else {
      if (last === 'sep') return undefined;
      seps.push(m[2].trim() || ' ');
      last = 'sep';
    }
    if (re.lastIndex === s.length) break;
  }
  if (re.lastIndex !== s.length || last === 'sep') return undefined;
  return { parts, seps };
}

function serialOf(year, month, day, date1904) {
  if (year === undefined || month < 1 || month > 12) return undefined;
  if (year < (date1904 ? 1904 : 1900)) return undefined;
  return dateToSerial(year, month, day, date1904);
}

/** A date (no time) as a serial, or undefined. */
function parseDate(s, date1904) {
  const split = dateParts(s);
  if (!split) return undefined;
  const { parts, seps } = split;
  const isNum = (p) => /^\d+$/.test(p);
  const names = parts.map((p) => (isNum(p) ? 0 : monthNumber(p)));
  if (parts.some((p, i) => !isNum(p) && names[i] === 0)) return undefined;
  const thisYear = new Date().getFullYear();
  const slashy = seps.every((sep) => sep === '/' || sep === '-');
  const nameCount = names.filter(Boolean).length;
  if (nameCount === 0) {
    if (!slashy) return undefined;
    const n = parts.map(Number);
    if (parts.length === 3) {
      if (parts[0].length === 4) return serialOf(n[0], n[1], n[2], date1904);
      return serialOf(fullYear(parts[2]), n[0], n[1], date1904);
    }
    if (parts.length === 2) {
      if (parts[0].length === 4) return serialOf(n[0], n[1], 1, date1904);
      if (n[0] >= 1 && n[0] <= 12 && n[1] >= 1 && n[1] <= daysInMonth(thisYear, n[0], date1904)) {
        return serialOf(thisYear, n[0], n[1], date1904);
      }
      return serialOf(fullYear(parts[1]), n[0], 1, date1904);
    }
    return undefined;
  }
  if (nameCount !== 1 || seps.includes(',') && seps.indexOf(',') !== seps.length - 1) return undefined;
  const at = names.findIndex(Boolean);
  const month = names[at];
  const nums = parts.filter(isNum);
  if (parts.length === 3 && at === 1) return serialOf(fullYear(nums[1]), month, Number(nums[0]), date1904);
  if (parts.length === 3 && at === 0) return serialOf(fullYear(nums[1]), month, Number(nums[0]), date1904);
  if (parts.length === 2 && at === 1) return serialOf(thisYear, month, Number(nums[0]), date1904);
  if (parts.length === 2 && at === 0) {
    const n = Number(nums[0]);
    if (nums[0].length <= 2 && n >= 1 && n <= daysInMonth(thisYear, month, date1904)) {
      return serialOf(thisYear, month, n, date1904);
    }
    return serialOf(fullYear(nums[0]), month, 1, date1904);
  }
  return undefined;
}

const TIME_TAIL = / +(\d+(?::\d+){1,2}(?:\.\d*)?(?: *(?:am|pm|a|p))?|\d+ *(?:am|pm|a|p))$/i;

/**
 * A date and/or time written as text: {date, time} (date a whole serial, time a
 * fraction of a day; either may be undefined), or undefined when the text is not one.
 * For DATEVALUE (the date part) and TIMEVALUE (the time part).
 */
export function parseDateTime(text, date1904 = false) {
  const s = text.replace(/^ +| +$/g, '');
  if (s === '') return undefined;
  const time = parseTime(s);
  if (time !== undefined) return { date: undefined, time };
  const date = parseDate(s, date1904);
  if (date !== undefined) return { date, time: undefined };
  const tail = TIME_TAIL.exec(s);
  if (tail) {
    const day = parseDate(s.slice(0, tail.index), date1904);
    const t = parseTime(tail[1]);
    if (day !== undefined && t !== undefined) return { date: day, time: t };
  }
  return undefined;
}

/** Text as Excel reads it into a number (number, percent, currency, date, time), or undefined. */
export function parseNumber(text, date1904 = false) {
  const s = text.replace(/^ +| +$/g, '');
  if (s === '') return undefined;
  const number = parsePlainNumber(s) ?? parseFraction(s);
  if (number !== undefined) return number;
  const parts = parseDateTime(s, date1904);
  return parts === undefined ? undefined : (parts.date ?? 0) + (parts.time ?? 0);
}
