// Excel's serial dates, for the finance and date/time family.
//
// 1900 system: serial 0 is 1900-01-00, 1..59 are 1900-01-01..1900-02-28, 60 is the
// fictitious 1900-02-29 and 61 onwards are real days from 1900-03-01. So 1900 is a
// leap year there, as Excel's own calendar has it. 1904 system: serial 0 is
// 1904-01-01. The last serial either way is 9999-12-31.

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y, m, d) {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The proleptic Gregorian date of a day count since 1970-01-01. */
function civilFromDays(z) {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

const EPOCH_1900 = daysFromCivil(1899, 12, 30); // serial 61 onwards
const EPOCH_1904 = daysFromCivil(1904, 1, 1);
const MAR_1_1900 = daysFromCivil(1900, 3, 1);

/** Gregorian leap year (no 1900 quirk). */
export function gregorianLeap(y) {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** An Excel date system: serials to dates and back, leap years, month lengths. */
export class DateSystem {
  constructor(is1904) {
    this.is1904 = is1904;
    this.maxSerial = is1904 ? 2957003 : 2958465; // 9999-12-31
    this.minYear = is1904 ? 1904 : 1900;
  }

  /** Leap year as Excel's calendar has it (1900 is one in the 1900 system). */
  isLeap(y) {
    return gregorianLeap(y) || (!this.is1904 && y === 1900);
  }

  daysInMonth(y, m) {
    if (m === 2) return this.isLeap(y) ? 29 : 28;
    return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  }

  /** {y, m, d} of the integer part of a serial (0 is 1900-01-00 in the 1900 system). */
  toYMD(serial) {
    const s = Math.floor(serial);
    if (this.is1904) return civilFromDays(s + EPOCH_1904);
    if (s === 0) return { y: 1900, m: 1, d: 0 };
    if (s === 60) return { y: 1900, m: 2, d: 29 };
    if (s < 60) return civilFromDays(s + EPOCH_1900 + 1);
    return civilFromDays(s + EPOCH_1900);
  }

  /** The serial of a date; d may run past the month (DATE(2020,1,40) style). */
  toSerial(y, m, d) {
    const delta = Math.floor((m - 1) / 12);
    y += delta;
    m -= delta * 12;
    const first = daysFromCivil(y, m, 1);
    if (this.is1904) return first - EPOCH_1904 + d - 1;
    // before 1900-03-01 serials run one behind the real calendar (the fictitious 29 Feb)
    return first - EPOCH_1900 - (first < MAR_1_1900 ? 1 : 0) + d - 1;
  }

  /** True when the serial is a date Excel accepts (0 .. 9999-12-31). */
  inRange(serial) {
    return serial >= 0 && serial < this.maxSerial + 1;
  }

  /** Day of the week of a serial: 0 = Sunday .. 6 = Saturday (serial 1 of 1900 is a Sunday). */
  weekday(serial) {
    const s = Math.floor(serial) + (this.is1904 ? 1462 : 0);
    return (((s - 1) % 7) + 7) % 7;
  }

  /** The same day `months` later, clamped to the month's end (EDATE). */
  addMonths({ y, m, d }, months) {
    const total = y * 12 + (m - 1) + months;
    const ny = Math.floor(total / 12);
    const nm = total - ny * 12 + 1;
    return { y: ny, m: nm, d: Math.min(d, this.daysInMonth(ny, nm)) };
  }

  isLastDayOfMonth({ y, m, d }) {
    return d === this.daysInMonth(y, m);
  }
}

/** The date system of a HyperFormula config (the engine sets nullDate 1904-01-01 for 1904). */
export function dateSystemOf(config) {
  return new DateSystem(config.nullDate?.year === 1904);
}

/** Compare two {y, m, d}. */
export function cmpYMD(a, b) {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

/** 30/360 day count of the DAYS360 function: US (NASD) or European. */
export function days360(ds, a, b, european) {
  let d1 = a.d;
  let d2 = b.d;
  if (european) {
    d1 = Math.min(d1, 30);
    d2 = Math.min(d2, 30);
  } else {
    if (d1 === 31) d1 = 30;
    else if (a.m === 2 && d1 === ds.daysInMonth(a.y, 2)) d1 = 30;
    if (d2 === 31 && d1 === 30) d2 = 30;
  }
  return 360 * (b.y - a.y) + 30 * (b.m - a.m) + (d2 - d1);
}
