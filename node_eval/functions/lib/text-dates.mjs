// Excel serial dates for the text functions: serial <-> calendar date in both date systems.
//
// 1900 system: serial 1 is 1900-01-01 and Excel keeps Lotus's fake 1900-02-29 (serial 60);
// serial 0 shows as 1900-01-00. 1904 system: serial 0 is 1904-01-01. The last date
// either system shows is 9999-12-31 (serial 2958465 in the 1900 system).

const DAY_MS = 86400000;
const EPOCH_1900 = Date.UTC(1899, 11, 31); // serial 0 (before the fake leap day)
const EPOCH_1904 = Date.UTC(1904, 0, 1);

export const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** True when the engine was built for the 1904 date system (HyperFormula's nullDate). */
export function is1904(config) {
  return config?.nullDate?.year === 1904;
}

/** The largest serial (a whole day) that is still a date: 9999-12-31. */
export function maxSerial(date1904) {
  return date1904 ? 2957003 : 2958465;
}

/** {year, month, day, weekday (0 = Sunday)} of a whole-day serial >= 0. */
export function serialToDate(days, date1904) {
  if (date1904) {
    const d = new Date(EPOCH_1904 + days * DAY_MS);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
  }
  // Excel's weekday counts the fake 29 Feb 1900, so serial 1 (1900-01-01) is a Sunday.
  const weekday = (days + 6) % 7;
  if (days === 0) return { year: 1900, month: 1, day: 0, weekday };
  if (days === 60) return { year: 1900, month: 2, day: 29, weekday };
  const d = new Date(EPOCH_1900 + (days < 60 ? days : days - 1) * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday };
}

/** Days in a month, with Excel's 29 February 1900. */
export function daysInMonth(year, month, date1904) {
  if (month === 2 && year === 1900 && !date1904) return 29;
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The serial of a valid calendar date, or undefined outside the date system's range. */
export function dateToSerial(year, month, day, date1904) {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month, date1904)) return undefined;
  if (year > 9999) return undefined;
  const utc = Date.UTC(year, month - 1, day);
  const t = new Date(utc);
  t.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  const ms = t.getTime();
  if (date1904) {
    const serial = Math.round((ms - EPOCH_1904) / DAY_MS);
    return serial >= 0 ? serial : undefined;
  }
  if (year === 1900 && month === 2 && day === 29) return 60;
  const serial = Math.round((ms - EPOCH_1900) / DAY_MS);
  if (serial < 1) return undefined;
  return serial >= 60 ? serial + 1 : serial;
}
