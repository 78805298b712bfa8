// Numbers as a Chinese reader expects them: grouped digits, milliseconds with at most two decimals.

const INTEGER = new Intl.NumberFormat('zh-CN');
const MILLIS = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });

export const count = (n: number): string => INTEGER.format(n);
export const millis = (ms: number): string => `${MILLIS.format(ms)} 毫秒`;
