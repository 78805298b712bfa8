// URLs the pages link to. Kept in one place so the server routes and the views agree on them.

export const PAGE_SIZE = 10;

export function searchUrl(q: string, offset = 0): string {
  const params = new URLSearchParams({ q });
  if (offset > 0) params.set('offset', String(offset));
  return `/search?${params}`;
}

/**
 * Where a document lives: readable `/doc/sub/a.txt` when every segment is an ordinary name. A segment that is
 * empty, `.` or `..` would be collapsed by the browser's URL parser (even written as %2E), so such ids (possible
 * in .jsonl input) go in the query instead: `/doc?id=…`.
 */
export function docLocation(docId: string): { path: string; params: URLSearchParams } {
  const segments = docId.split('/');
  if (segments.every((s) => s !== '' && s !== '.' && s !== '..')) {
    return { path: `/doc/${segments.map((s) => encodeURIComponent(s.toWellFormed())).join('/')}`, params: new URLSearchParams() };
  }
  return { path: '/doc', params: new URLSearchParams({ id: docId }) };
}

/** The original file of a document (server/original-file.ts): `/original/<path>`, or `/original?id=…` like docLocation. */
export function originalUrl(docId: string): string {
  const { path, params } = docLocation(docId);
  const original = path === '/doc' ? '/original' : `/original${path.slice('/doc'.length)}`;
  return params.size > 0 ? `${original}?${params}` : original;
}

/** Link to a document, optionally with the query to highlight and the paragraph to show (`#p-n`). */
export function docUrl(docId: string, q: string | null, paragraph: number | null): string {
  const { path, params } = docLocation(docId);
  if (q) params.set('q', q);
  if (paragraph !== null) params.set('p', String(paragraph));
  const search = params.size > 0 ? `?${params}` : '';
  return `${path}${search}${paragraph !== null ? `#p-${paragraph}` : ''}`;
}
