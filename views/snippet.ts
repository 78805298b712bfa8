// A hit's snippet as markup: the engine chooses the window and its highlights (server/search/snippet.ts); here
// they become escaped text with <mark>, and … where the text was cut. The pages and the JSON endpoint both use it.
import { html, markRanges, type SafeHtml } from './html.js';
import type { Range, SearchHit } from '../server/search/types.js';

export function snippetMarkup({ text, snippet }: Pick<SearchHit, 'text' | 'snippet'>): SafeHtml {
  const relative = snippet.start === 0 ? snippet.highlights : snippet.highlights.map(([s, e]): Range => [s - snippet.start, e - snippet.start]);
  const body = markRanges(text.slice(snippet.start, snippet.end), relative);
  return snippet.start === 0 && snippet.end === text.length ? body : html`${snippet.start > 0 ? '…' : ''}${body}${snippet.end < text.length ? '…' : ''}`;
}
