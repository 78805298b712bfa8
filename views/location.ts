// A paragraph's location in one short line: 第 3 页, a chapter's title, a heading path. The result card shows it
// after the paragraph number; the document page shows it where it changes. Plain text: the views escape it.
import type { HitLocation } from '../server/search/types.js';

/** How many headings of a path are shown; deeper paths keep their innermost, after an ellipsis. */
const SHOWN_HEADINGS = 3;
const NOTE_LABELS = { footnote: '脚注', endnote: '尾注' } as const;

/** The location as one line, or null when it names nothing. */
export function locationLabel(location: HitLocation | null | undefined): string | null {
  if (location === null || location === undefined) return null;
  const parts: string[] = [];
  if (location.page !== undefined) parts.push(`第 ${location.page} 页`);
  if (location.chapter !== undefined) parts.push(location.chapter);
  // An EPUB chapter's own heading usually repeats its title: said once.
  let headings = location.headings ?? [];
  if (location.chapter !== undefined && headings[0] === location.chapter) headings = headings.slice(1);
  if (headings.length > SHOWN_HEADINGS) headings = ['…', ...headings.slice(-SHOWN_HEADINGS)];
  if (headings.length > 0) parts.push(headings.join(' › '));
  if (location.note !== undefined) parts.push(NOTE_LABELS[location.note]);
  return parts.length === 0 ? null : parts.join(' · ');
}

/** What a document's format is called on the link to its original file. */
export const FORMAT_NAMES: Readonly<Record<string, string>> = {
  txt: '文本',
  md: 'Markdown',
  html: 'HTML',
  pdf: 'PDF',
  docx: 'Word',
  epub: 'EPUB',
};
