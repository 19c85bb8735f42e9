// Day-count bases (0 US 30/360, 1 actual/actual, 2 actual/360, 3 actual/365,
// 4 European 30/360) and the coupon schedule, as Excel's Analysis ToolPak functions
// use them (YEARFRAC, COUP*, PRICE/YIELD, ACCRINT, DISC, ...). The rules follow
// Excel's documented day counts and the detailed behaviour published alongside
// ExcelFinancialFunctions (fsprojects), which was checked against Excel case by case.
//
// A date here is {y, m, d, s}: year, month, day and the serial s in the date system.

/** A date of the system from a serial. */
export function dateOf(ds, serial) {
  const s = Math.floor(serial);
  const { y, m, d } = ds.toYMD(s);
  return { y, m, d, s };
}

/** A date of the system from a valid year, month and day. */
export function dateYMD(ds, y, m, d) {
  return { y, m, d, s: ds.toSerial(y, m, d) };
}

const lastOfFeb = (ds, a) => a.m === 2 && a.d === ds.daysInMonth(a.y, 2);

/**
 * US 30/360 days from a to b. `both`: the end's last day of February always counts as
 * the 30th and its 31st always as the 30th (the variant Excel uses for whole coupon
 * periods); otherwise only when the start is also at such a month end.
 */
export function diff360Us(ds, a, b, both = false) {
  let d1 = a.d;
  let d2 = b.d;
  if (lastOfFeb(ds, b) && (lastOfFeb(ds, a) || both)) d2 = 30;
  if (d2 === 31 && (d1 >= 30 || both)) d2 = 30;
  if (d1 === 31) d1 = 30;
  if (lastOfFeb(ds, a)) d1 = 30;
  return (b.y - a.y) * 360 + (b.m - a.m) * 30 + (d2 - d1);
}

/** European 30/360 days from a to b. */
export function diff360Eu(a, b) {
  return (b.y - a.y) * 360 + (b.m - a.m) * 30 + (Math.min(b.d, 30) - Math.min(a.d, 30));
}

/** The same day `months` later, clamped to the month's end, or that month's last day. */
export function changeMonth(ds, a, months, lastDay) {
  const { y, m, d } = ds.addMonths(a, months);
  return dateYMD(ds, y, m, lastDay ? ds.daysInMonth(y, m) : d);
}

/**
 * Walk from `start` by `months` (negative: backwards) until passing `end`; returns
 * [front, trailing, acc] where front is the first date at or past end and trailing the
 * one before it (end itself if start is already past), `acc` summing f(front, trailing).
 */
export function walk(ds, start, end, months, lastDay, f = null, acc = 0) {
  let front = start;
  let trailing = end;
  for (;;) {
    const stop = months > 0 ? front.s >= end.s : front.s <= end.s;
    if (stop) return [front, trailing, acc];
    trailing = front;
    front = changeMonth(ds, front, months, lastDay);
    if (f) acc += f(front, trailing);
  }
}

/** [previous coupon date, next coupon date] around the settlement, counted back from maturity. */
export function couponDates(ds, settlement, maturity, freq) {
  const [pcd, ncd] = walk(ds, maturity, settlement, -12 / freq, ds.isLastDayOfMonth(maturity));
  return [pcd, ncd];
}

/** Number of coupons payable between settlement and maturity. */
export function couponCount(ds, settlement, maturity, freq) {
  const [pcd] = couponDates(ds, settlement, maturity, freq);
  return (((maturity.y - pcd.y) * 12 + (maturity.m - pcd.m)) * freq) / 12;
}

const lessOrEqualToAYearApart = (a, b) => a.y === b.y || (b.y === a.y + 1 && (a.m > b.m || (a.m === b.m && a.d >= b.d)));

function feb29Between(ds, a, b) {
  if (a.y === b.y) return ds.isLeap(a.y) && a.m <= 2 && b.m > 2;
  if (b.y === a.y + 1) {
    if (ds.isLeap(a.y)) return a.m <= 2;
    if (ds.isLeap(b.y)) return b.m > 2;
  }
  return false;
}

/** The day count of a basis: days between dates, days in a year, coupon period lengths. */
export class DayCount {
  constructor(ds, basis) {
    this.ds = ds;
    this.basis = basis;
  }

  /** Days from a to b as the basis counts them ("numerator" position). */
  days(a, b) {
    switch (this.basis) {
      case 0:
        return diff360Us(this.ds, a, b);
      case 4:
        return diff360Eu(a, b);
      default:
        return b.s - a.s;
    }
  }

  /** Days from a to b where they are the length of a period ("denominator" position). */
  periodDays(a, b) {
    switch (this.basis) {
      case 0:
      case 2:
        return diff360Us(this.ds, a, b);
      case 4:
        return diff360Eu(a, b);
      default:
        return b.s - a.s;
    }
  }

  /** Days in the year for a span from a to b. */
  yearDays(a, b) {
    switch (this.basis) {
      case 1: {
        const ds = this.ds;
        if (!lessOrEqualToAYearApart(a, b)) {
          const years = b.y - a.y + 1;
          return (ds.toSerial(b.y + 1, 1, 1) - ds.toSerial(a.y, 1, 1)) / years;
        }
        const leap = (a.y === b.y && ds.isLeap(a.y)) || (b.m === 2 && b.d === 29) || feb29Between(ds, a, b);
        return leap ? 366 : 365;
      }
      case 3:
        return 365;
      default:
        return 360;
    }
  }

  /** YEARFRAC of a <= b. */
  yearFrac(a, b) {
    if (a.s === b.s) return 0;
    return this.days(a, b) / this.yearDays(a, b);
  }

  /** Days in the coupon period around the settlement (COUPDAYS). */
  coupDays(settlement, maturity, freq) {
    if (this.basis === 1) {
      const [pcd, ncd] = couponDates(this.ds, settlement, maturity, freq);
      return ncd.s - pcd.s;
    }
    return (this.basis === 3 ? 365 : 360) / freq;
  }

  /** Days from the previous coupon to the settlement (COUPDAYBS). */
  coupDaysBS(settlement, maturity, freq) {
    const [pcd] = couponDates(this.ds, settlement, maturity, freq);
    return this.days(pcd, settlement);
  }

  /** Days from the settlement to the next coupon (COUPDAYSNC). */
  coupDaysNC(settlement, maturity, freq) {
    const [pcd, ncd] = couponDates(this.ds, settlement, maturity, freq);
    switch (this.basis) {
      case 0:
        return diff360Us(this.ds, pcd, ncd, true) - diff360Us(this.ds, pcd, settlement);
      case 4:
        return diff360Eu(settlement, ncd);
      default:
        return ncd.s - settlement.s;
    }
  }
}
