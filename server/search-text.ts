// `npm run search`'s plain-text answer: the same data the page shows (how the query was read, a correction, each
// hit's title, id, location and text with its highlights), as lines for a terminal or a pipe.
import { locationLabel } from '../views/location.js';
import type { SearchResponse } from './search/engine.js';

/** The answer as text: highlights in 【】, or bold on a terminal. */
export function formatText(response: SearchResponse, terminal: boolean): string {
  const [open, close] = terminal ? ['\x1b[1;33m', '\x1b[0m'] : ['【', '】'];
  const lines = [
    `${response.total} paragraph(s) for ${JSON.stringify(response.query)} → ${response.terms.join(' ')}` +
      `${response.relaxed ? ' (no paragraph has every word; closest matches)' : ''}, ${response.tookMs} ms`,
  ];
  for (const run of response.rewrite?.runs ?? []) lines.push(`按拼音 ${run.typed} 搜索：${run.word}`);
  if (response.suggestion !== null) lines.push(`你是不是要找：${response.suggestion.q}（${response.suggestion.total} paragraph(s)）`);
  response.hits.forEach((hit, i) => {
    let text = '';
    let at = 0;
    for (const [start, end] of hit.highlights) {
      text += hit.text.slice(at, start) + open + hit.text.slice(start, end) + close;
      at = end;
    }
    text += hit.text.slice(at);
    const where = locationLabel(hit.location);
    lines.push('', `${response.offset + i + 1}. ${hit.title} — ${hit.id}${where === null ? '' : ` · ${where}`} (score ${hit.score})`, `   ${text}`);
  });
  return lines.join('\n');
}
