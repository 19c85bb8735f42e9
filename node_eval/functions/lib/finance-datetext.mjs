// Text to date/time serial as Excel (en-US) reads it: DATEVALUE, TIMEVALUE, and any
// date-like text passed where a date is expected ("2024-01-15", "1/15/2024",
// "15-Jan-2024", "Jan 15, 2024", "13:30", "1:30 PM", "1/15/2024 13:30").
// Two-digit years 00-29 are 2000-2029, 30-99 are 1930-1999. A date before the date
// system's first day or after 9999-12-31 is not a date (#VALUE!).

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function monthOf(word) {
  const w = word.toLowerCase();
  let i = FULL.indexOf(w);
  if (i < 0) i = MONTHS.indexOf(w);
  if (i < 0 && w === 'sept') i = 8;
  return i < 0 ? undefined : i + 1;
}

function fullYear(text) {
  const y = Number(text);
  if (text.length <= 2) return y < 30 ? 2000 + y : 1900 + y;
  if (text.length === 4) return y;
  return undefined;
}

// h:mm[:ss[.fff]] [AM|PM] or h AM|PM, at the end of the text
const TIME = /(?:^|\s)(\d{1,5}):(\d{1,2})(?::(\d{1,2}(?:\.\d*)?))?\s*([ap]m?)?$|(?:^|\s)(\d{1,2})\s*([ap]m?)$/i;

/** Seconds since midnight of a time text, or undefined (hours past 24 are allowed). */
function parseTime(match) {
  let h;
  let m = 0;
  let s = 0;
  let ampm;
  if (match[1] !== undefined) {
    h = Number(match[1]);
    m = Number(match[2]);
    s = match[3] !== undefined ? Number(match[3]) : 0;
    ampm = match[4];
  } else {
    h = Number(match[5]);
    ampm = match[6];
  }
  if (m >= 60 || s >= 60) return undefined;
  if (ampm) {
    if (h > 12 || h === 0) return undefined;
    const pm = ampm[0].toLowerCase() === 'p';
    h = (h % 12) + (pm ? 12 : 0);
  }
  return h * 3600 + m * 60 + s;
}

/** {y, m, d} of a date text, or undefined. `today` gives the year when the text has none. */
function parseDate(text, today) {
  let g;
  // m/d/y, m-d-y
  if ((g = /^(\d{1,2})([/-])(\d{1,2})\2(\d{1,4})$/.exec(text))) return ymd(fullYear(g[4]), +g[1], +g[3]);
  // y-m-d, y/m/d
  if ((g = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$/.exec(text))) return ymd(+g[1], +g[3], +g[4]);
  // m/d (this year) or m/yyyy
  if ((g = /^(\d{1,2})[/-](\d{1,4})$/.exec(text))) {
    if (g[2].length <= 2 && +g[2] >= 1 && +g[2] <= 31) return ymd(today.y, +g[1], +g[2]);
    return ymd(fullYear(g[2]), +g[1], 1);
  }
  // d-mon-y, d mon y, d-mon
  if ((g = /^(\d{1,2})[\s-]+([a-z]+)\.?(?:[\s,-]+(\d{1,4}))?$/i.exec(text))) {
    const m = monthOf(g[2]);
    return ymd(g[3] === undefined ? today.y : fullYear(g[3]), m, +g[1]);
  }
  // mon d, y / mon d y / mon-d-y
  if ((g = /^([a-z]+)\.?[\s-]+(\d{1,2})(?:,\s*|[\s-]+)(\d{1,4})$/i.exec(text))) return ymd(fullYear(g[3]), monthOf(g[1]), +g[2]);
  // mon d (this year) or mon yyyy / mon-yy
  if ((g = /^([a-z]+)\.?[\s-]+(\d{1,4})$/i.exec(text))) {
    const m = monthOf(g[1]);
    if (g[2].length <= 2 && +g[2] >= 1 && +g[2] <= 31 && /\s/.test(text)) return ymd(today.y, m, +g[2]);
    return ymd(fullYear(g[2]), m, 1);
  }
  return undefined;
}

function ymd(y, m, d) {
  if (y === undefined || m === undefined || !(m >= 1 && m <= 12) || !(d >= 1)) return undefined;
  return { y, m, d };
}

/**
 * Parse a date and/or time text. Returns {serial, date, seconds, hasDate, hasTime}:
 * serial is the date's serial (0 without one) plus the time of day, which may pass 1
 * for "25:00"; or undefined.
 */
export function parseDateTime(raw, ds, now = new Date()) {
  let text = String(raw).trim().replace(/\s+/g, ' ');
  if (text === '') return undefined;
  let seconds;
  const t = TIME.exec(text);
  if (t) {
    seconds = parseTime(t);
    if (seconds === undefined) return undefined;
    text = text.slice(0, t.index).trim();
  }
  let serial = 0;
  const hasDate = text !== '';
  if (hasDate) {
    const d = parseDate(text, { y: now.getFullYear() });
    if (d === undefined || d.y < ds.minYear || d.y > 9999) return undefined;
    if (d.d > ds.daysInMonth(d.y, d.m)) return undefined;
    serial = ds.toSerial(d.y, d.m, d.d);
    if (!ds.inRange(serial)) return undefined;
  } else if (seconds === undefined) {
    return undefined;
  }
  return { serial: serial + (seconds ?? 0) / 86400, date: serial, seconds: seconds ?? 0, hasDate, hasTime: seconds !== undefined };
}
