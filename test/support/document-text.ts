// Comparing text a reader extracted with the text its fixture was made from.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const DOCUMENTS = path.join('test', 'fixtures', 'documents');
export const documentFixture = (...parts: string[]): string => path.join(DOCUMENTS, ...parts);
export const documentBytes = (...parts: string[]): Uint8Array => readFileSync(documentFixture(...parts));

/**
 * The characters that carry the text: letters, digits and CJK punctuation, in order. Spaces, Markdown syntax
 * and ASCII punctuation are layout and differ by producer; the rest must survive reading.
 */
export function textCharacters(text: string): string {
  return Array.from(text.matchAll(/[\p{L}\p{N}\u3000-\u303f\uff01-\uff5e]/gu), (m) => m[0]).join('');
}

/**
 * A fixture's Markdown source as plain text: no front matter; note marks ([^1]) and note labels ([^1]:) dropped,
 * or as the numbers a printed page shows (`printedNotes`, for PDF); heading marks and table rules are left to
 * textCharacters to drop.
 */
export function markdownSourceText(file: string, options: { readonly printedNotes?: boolean } = {}): string {
  const source = readFileSync(file, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
  return source.replace(/\[\^(\d+)\](:?)/g, (_, n: string, label: string) => (options.printedNotes === true ? `${n}${label === ':' ? '.' : ''}` : ''));
}

/**
 * Character error rate: edit distance over the expected length, by code point. Exact up to a rate of 2%; above
 * that it reports more than 2% (the distance is computed in a band around the diagonal, which keeps a whole
 * article's comparison fast).
 */
export function characterErrorRate(expected: string, actual: string): number {
  const a = Array.from(expected);
  const b = Array.from(actual);
  if (a.length === 0) return b.length === 0 ? 0 : 1;
  const band = Math.max(16, Math.ceil(0.02 * a.length));
  if (Math.abs(a.length - b.length) > band) return Math.abs(a.length - b.length) / a.length;
  const far = band + 1;
  let previous = new Int32Array(b.length + 1).map((_, j) => (j <= band ? j : far));
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current.fill(far);
    if (i <= band) current[0] = i;
    for (let j = Math.max(1, i - band); j <= Math.min(b.length, i + band); j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1, far);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]! / a.length;
}

/**
 * Each "hanzi, whitespace, hanzi" of `actual` that `source` does not have: a space a reader put inside a word.
 * A Markdown table's cell rule counts as the space between two cells.
 */
export function spacesInsideHanzi(source: string, actual: string): string[] {
  const spaced = source.replace(/[ \t]*\|[ \t]*/g, ' ');
  const found = actual.match(/\p{Script=Han}\s+\p{Script=Han}/gu) ?? [];
  return found.filter((window) => !spaced.includes(window));
}
