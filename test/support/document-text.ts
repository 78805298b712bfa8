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
 * A fixture's Markdown source as plain text: no front matter, no note marks ([^1]) and note labels ([^1]:),
 * heading marks and table rules left to textCharacters to drop.
 */
export function markdownSourceText(file: string): string {
  const source = readFileSync(file, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
  return source.replace(/\[\^\d+\]:?/g, '');
}

/** Character error rate: edit distance over the expected length, by code point. */
export function characterErrorRate(expected: string, actual: string): number {
  const a = Array.from(expected);
  const b = Array.from(actual);
  let previous = new Int32Array(b.length + 1).map((_, j) => j);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1);
    }
    [previous, current] = [current, previous];
  }
  return a.length === 0 ? (b.length === 0 ? 0 : 1) : previous[b.length]! / a.length;
}

/** Each "hanzi, whitespace, hanzi" of `actual` that `source` does not have: a space a reader put inside a word. */
export function spacesInsideHanzi(source: string, actual: string): string[] {
  const found = actual.match(/\p{Script=Han}\s+\p{Script=Han}/gu) ?? [];
  return found.filter((window) => !source.includes(window));
}
