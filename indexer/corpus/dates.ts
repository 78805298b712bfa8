// Document dates: a `date` field of a .jsonl line, and the filters after:/before: of a query, read one way.
// A date is milliseconds since the epoch, UTC; a date without a time or zone is that day's midnight UTC, so a
// day, its year and its filters mean the same on every machine whatever its time zone.

/** YYYY, YYYY-MM, YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS[.fff]] with an optional Z or ±HH:MM (UTC when absent). */
const DATE_TEXT = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The date `text` names, or null when it is not one of DATE_TEXT's forms or names no real day (2024-02-30). */
export function parseDateText(text: string): number | null {
  const match = DATE_TEXT.exec(text.trim());
  if (match === null) return null;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const utc = Date.UTC(y, mo - 1, d, Number(hour), Number(minute), Number(second), fraction === '' ? 0 : Math.round(Number(fraction) * 1000));
  // Date.UTC rolls 2024-02-30 over to March: refuse what it had to roll.
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
  return utc - sign * offsetMinutes * 60_000;
}

/** The UTC year of a date (the year facet and the year: filter). */
export const yearOf = (date: number): number => new Date(date).getUTCFullYear();

/** A date as YYYY-MM-DD (UTC), for pages and JSON. */
export const dayText = (date: number): string => new Date(date).toISOString().slice(0, 10);
