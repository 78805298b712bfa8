// Snippets: a window of about 100–160 characters around the densest cluster of highlights, cut at sentence
// punctuation where possible. Data only (the window and its ranges): views/snippet.ts makes the markup.
import type { Range, Snippet } from './types.js';

export const SNIPPET = Object.freeze({ target: 140, max: 160, min: 100 });

const SENTENCE_BREAKS = '。！？；!?;…\n';
const CLAUSE_BREAKS = '，、,：:）)」』”';
const SENTENCE_BREAK = 1;
const CLAUSE_BREAK = 2;
// Per UTF-16 unit, the kind of break it is (all of them are single units): a lookup per character where a
// regular expression on a one-character string took most of a long paragraph's snippet time.
const BREAK_KIND = new Uint8Array(0x10000);
for (const ch of SENTENCE_BREAKS) BREAK_KIND[ch.charCodeAt(0)] = SENTENCE_BREAK;
for (const ch of CLAUSE_BREAKS) BREAK_KIND[ch.charCodeAt(0)] = CLAUSE_BREAK;

function isLowSurrogate(text: string, at: number): boolean {
  const unit = text.charCodeAt(at);
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Moves an offset off the middle of a surrogate pair. */
function safe(text: string, at: number): number {
  return at > 0 && at < text.length && isLowSurrogate(text, at) ? at - 1 : at;
}

/** Start of the window holding the most highlighted characters. */
function densestStart(highlights: readonly Range[], width: number): number {
  let best = 0;
  let bestStart = highlights[0]?.[0] ?? 0;
  for (let i = 0; i < highlights.length; i++) {
    const start = highlights[i]![0];
    let covered = 0;
    for (let j = i; j < highlights.length && highlights[j]![0] < start + width; j++) {
      covered += Math.min(highlights[j]![1], start + width) - highlights[j]![0];
    }
    if (covered > best) {
      best = covered;
      bestStart = start;
    }
  }
  return bestStart;
}

/** A break just after which a window may start, searching back from `at` no further than `limit`. */
function breakBefore(text: string, at: number, limit: number): number | null {
  for (const kind of [SENTENCE_BREAK, CLAUSE_BREAK]) {
    for (let i = at - 1; i >= Math.max(0, limit); i--) if (BREAK_KIND[text.charCodeAt(i)] === kind) return i + 1;
  }
  return null;
}

/** A break at which a window may end (just after the punctuation), between `from` and `limit`. */
function breakAfter(text: string, from: number, limit: number): number | null {
  for (const kind of [SENTENCE_BREAK, CLAUSE_BREAK]) {
    for (let i = Math.min(limit, text.length) - 1; i >= from; i--) if (BREAK_KIND[text.charCodeAt(i)] === kind) return i + 1;
  }
  return null;
}

export function chooseSnippet(text: string, highlights: readonly Range[]): Snippet {
  if (text.length <= SNIPPET.max) return { start: 0, end: text.length, highlights };
  const cluster = densestStart(highlights, SNIPPET.target);
  const clusterEnd = Math.max(...highlights.filter(([s]) => s >= cluster && s < cluster + SNIPPET.target).map(([, e]) => e), cluster);
  // Centre the cluster, leaving some context before it.
  const centre = Math.floor((cluster + Math.min(clusterEnd, cluster + SNIPPET.target)) / 2);
  let start = Math.max(0, Math.min(centre - Math.floor(SNIPPET.target / 2), text.length - SNIPPET.target));
  if (start > 0) start = breakBefore(text, Math.min(start + 20, cluster), start - 30) ?? start;
  let end = Math.min(text.length, start + SNIPPET.max);
  if (end < text.length) {
    // Never end before the cluster does (when it fits), nor before the minimum length.
    const from = Math.max(start + SNIPPET.min, Math.min(clusterEnd, end));
    end = breakAfter(text, from, end) ?? Math.max(from, Math.min(text.length, start + SNIPPET.target));
  }
  start = safe(text, start);
  end = safe(text, end);
  const inside = highlights
    .filter(([s, e]) => e > start && s < end)
    .map(([s, e]): Range => [Math.max(s, start), Math.min(e, end)]);
  return { start, end, highlights: inside };
}
