// The only module that imports opencc-js.
// Conversion is applied one code point at a time (see fold.ts): phrase-level conversion would fold the same
// character differently depending on its neighbours, so a query could fold differently from the text it is in.
import * as OpenCC from 'opencc-js';

// 'tw' → 'cn' also maps Taiwanese variant forms (裡, 著) onto the Simplified standard.
const twToCn = OpenCC.Converter({ from: 'tw', to: 'cn' });

/** Simplified form of one code point (given as a string), or the code point itself. */
export function simplifiedCodePoint(ch: string): string {
  return twToCn(ch);
}

export const OPENCC_VERSION = 'opencc-js@1.4.2 tw→cn per code point';
