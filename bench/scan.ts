// Peer 1, the no-index floor: a linear scan with String.prototype.includes over the texts folded with the
// project's foldString. A query is the AND of its whitespace-separated parts (folded the same way); every match
// is collected, then the first 10 are taken.
import { foldString } from '../indexer/analyzer/index.js';

export interface ScanResult {
  /** Number of texts that contain every part. */
  readonly total: number;
  /** Positions of the first `limit` of them, in corpus order. */
  readonly ids: readonly number[];
}

export interface Scan {
  readonly size: number;
  search(query: string, limit?: number): ScanResult;
  /** Whether some text contains every part of `query` (stops at the first one). */
  occurs(query: string): boolean;
}

/** The folded, whitespace-separated parts of a query. */
export function scanParts(query: string): string[] {
  return foldString(query)
    .split(/\s+/u)
    .filter((part) => part !== '');
}

export function createScan(texts: readonly string[]): Scan {
  const folded = texts.map(foldString);
  const contains = (text: string, parts: readonly string[]): boolean => {
    for (const part of parts) if (!text.includes(part)) return false;
    return true;
  };
  let characters: Set<string> | undefined;
  return {
    size: folded.length,
    search(query, limit = 10) {
      const parts = scanParts(query);
      const matches: number[] = [];
      if (parts.length > 0) for (let i = 0; i < folded.length; i++) if (contains(folded[i]!, parts)) matches.push(i);
      return { total: matches.length, ids: matches.slice(0, limit) };
    },
    occurs(query) {
      const parts = scanParts(query);
      if (parts.length === 0) return false;
      if (parts.length === 1 && [...parts[0]!].length === 1) {
        // One character: a set of every folded character answers at once (the no-result sampler asks often).
        if (characters === undefined) {
          characters = new Set();
          for (const text of folded) for (const character of text) characters.add(character);
        }
        return characters.has(parts[0]!);
      }
      return folded.some((text) => contains(text, parts));
    },
  };
}
