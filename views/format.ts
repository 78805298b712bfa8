// Numbers as a Chinese reader expects them: grouped digits, milliseconds with at most two decimals.

const INTEGER = new Intl.NumberFormat('zh-CN');
const MILLIS = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });

export const count = (n: number): string => INTEGER.format(n);
export const millis = (ms: number): string => `${MILLIS.format(ms)} 毫秒`;

/** An ISO 8601 time as a date and minute in UTC ("2026-12-06 22:10 UTC"): the server's clock, whatever the reader's zone. */
export function utcMinute(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
