// The HTML pages (docs/contract.md "Web pages"): GET / and GET /search (full page, or the results fragment when htmx asks
// with `HX-Request-Type: partial`), GET /doc/<docId>, GET /original/<docId> (original-file.ts), their static assets,
// and friendly 400/404 pages.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { documentPage } from '../views/document-page.js';
import { errorPage, searchErrorFragment, searchErrorPage } from '../views/error-page.js';
import type { SafeHtml } from '../views/html.js';
import { resultsFragment, type ResultsState } from '../views/results.js';
import { MORE_PAGE, moreMatches } from '../views/groups.js';
import { documentMatchesUrl } from '../views/result-urls.js';
import { facetBlocks } from './facet-links.js';
import { NO_FILTERS } from './search/filters.js';
import { searchPage } from '../views/search-page.js';
import { PAGE_SIZE } from '../views/urls.js';
import { highlightRanges } from './search/highlight.js';
import type { IndexHolder } from './index-holder.js';
import type { SearchOptions, SearchResponse } from './search/types.js';
import { echoQuery, friendlyMessage, readHighlightQuery, readPageSearch, readParagraph, type PageSearch } from './page-params.js';
import { LIMITS, ParamError } from './params.js';
import { originalFileRouter, originalFormat } from './original-file.js';
import { PoolWorkerError } from './query-pool.js';
import { staticRouter } from './static.js';

type Query = Record<string, unknown>;

/** The search box's limit on every page: the one params.ts enforces. */
const { maxQueryLength } = LIMITS;

/** Whether the results go on past this page, within the offsets a page may ask for (params.ts LIMITS). */
function hasNextPage({ offset, total, documents, groups }: SearchResponse): boolean {
  const next = offset + PAGE_SIZE;
  // A grouped answer pages over documents.
  return next < (groups === undefined ? total : (documents ?? total)) && next <= LIMITS.maxOffset;
}

/** The engine's options for a results page: grouped and faceted unless one document's matches are asked. */
function pageOptions(wanted: Extract<PageSearch, { kind: 'search' }>, limit: number): SearchOptions {
  const { offset, grouped, doc } = wanted;
  // One document's matches go on in its card's order: relevance under the date sorts (they order documents).
  const sort = doc !== null && (wanted.sort === 'newest' || wanted.sort === 'oldest') ? 'relevance' : wanted.sort;
  return {
    limit,
    offset,
    ...(sort === 'relevance' ? {} : { sort }),
    ...(doc === null ? { facets: PAGE_FACETS } : { filters: { ...NO_FILTERS, document: doc } }),
    ...(grouped && doc === null ? { group: 'doc' as const } : {}),
  };
}

const PAGE_FACETS = ['folder', 'type', 'year'] as const;

function send(response: Response, status: number, body: SafeHtml): void {
  if (response.headersSent) return; // the handler timeout answered 503 while a query worker searched
  // Results change when the index is rebuilt: let the browser keep a copy but ask before using it.
  response.status(status).set('Cache-Control', 'no-cache').type('html').send(body.value);
}

/** htmx 4 sends `HX-Request-Type: partial` when it swaps into an element (our #results), `full` for the body. */
const wantsFragment = (request: Request): boolean => request.get('HX-Request-Type') === 'partial';

/** A search whose query worker failed twice (query-pool.ts): 503, to be tried again. */
function failedSearch(request: Request, response: Response, fragment: boolean): void {
  if (response.headersSent) return;
  const view = { heading: '搜索暂时失败', message: '请稍后再试一次。', q: echoQuery(request.query as Query), maxQueryLength };
  response.set('Retry-After', '1');
  send(response, 503, fragment ? searchErrorFragment(view) : searchErrorPage(view));
}

function notFound(response: Response, q: string, heading: string, message: string): void {
  send(response, 404, errorPage({ heading, message, q, maxQueryLength }));
}

export function pagesRouter(holder: IndexHolder): Router {
  const router = Router();
  router.use('/static', staticRouter());

  const search = async (request: Request, response: Response): Promise<void> => {
    // One URL, two representations: caches must keep the page and the fragment apart.
    response.vary('HX-Request-Type');
    const query = request.query as Query;
    const fragment = wantsFragment(request);
    let state: ResultsState;
    try {
      const wanted = readPageSearch(query);
      if (wanted.kind === 'empty') {
        const { documents, paragraphs } = holder.searcher().index.manifest.counts;
        state = { kind: 'empty', stats: { documents, paragraphs } };
        // Clearing the box goes back to the home page's address, not /search?q=.
        if (fragment) response.set('HX-Push-Url', '/');
      } else {
        // Read together, before any wait: the answer and the titles come from one index, whatever reloads meanwhile.
        const answers = holder.answers();
        const { index } = holder.searcher();
        const response = await answers.search(wanted.q, pageOptions(wanted, PAGE_SIZE));
        const { q, sort, grouped, doc } = wanted;
        const position = doc === null ? undefined : index.documentById.get(doc);
        const docTitle = position === undefined ? null : index.documents[position]!.title;
        const facets = facetBlocks(q, response.facets);
        // Nothing found, a correction offered: its results are shown under a line that says so (views/query-help.ts).
        const correctedQ = response.total === 0 ? response.suggestion?.q : undefined;
        const corrected = correctedQ === undefined ? null : await answers.search(correctedQ, pageOptions({ ...wanted, q: correctedQ, offset: 0 }, PAGE_SIZE));
        state = {
          kind: 'results',
          q,
          response,
          hasNext: hasNextPage(response),
          view: { q, sort, grouped, doc },
          facets,
          docTitle,
          ...(corrected === null || correctedQ === undefined ? {} : { corrected: { q: correctedQ, response: corrected, hasNext: hasNextPage(corrected) } }),
        };
      }
    } catch (error) {
      if (error instanceof PoolWorkerError) return failedSearch(request, response, fragment);
      if (!(error instanceof ParamError)) throw error;
      const view = { heading: '无法搜索', message: friendlyMessage(error, query), q: echoQuery(query), maxQueryLength };
      // htmx 4 swaps 4xx responses too, so the message lands in #results.
      return send(response, 400, fragment ? searchErrorFragment(view) : searchErrorPage(view));
    }
    send(response, 200, fragment ? resultsFragment(state) : searchPage(state, maxQueryLength, holder.searcher().index.manifest.builtAt));
  };
  router.get('/', search);
  router.get('/search', search);

  // A card's "N more in this document" opened in place (views/groups.ts moreLink): the document's next matches
  // as a fragment. Asked without htmx (a copied link), it is the page of those matches.
  router.get('/search/more', async (request: Request, response: Response) => {
    const query = request.query as Query;
    let wanted: PageSearch;
    try {
      wanted = readPageSearch(query);
    } catch (error) {
      if (!(error instanceof ParamError)) throw error;
      return send(response, 400, searchErrorFragment({ heading: '无法搜索', message: friendlyMessage(error, query), q: echoQuery(query), maxQueryLength }));
    }
    if (wanted.kind !== 'search' || wanted.doc === null) return void response.redirect(303, '/');
    const view = { q: wanted.q, sort: wanted.sort, grouped: wanted.grouped, doc: null };
    if (!wantsFragment(request)) return void response.redirect(303, documentMatchesUrl(view, wanted.doc, wanted.offset));
    response.vary('HX-Request-Type');
    let found: SearchResponse;
    try {
      found = await holder.answers().search(wanted.q, pageOptions(wanted, MORE_PAGE));
    } catch (error) {
      if (error instanceof PoolWorkerError) return failedSearch(request, response, true);
      throw error;
    }
    send(response, 200, moreMatches(view, found.hits, wanted.doc, wanted.offset, found.total));
  });

  const showDocument = (docId: string, request: Request, response: Response): void => {
    const query = request.query as Query;
    const searcher = holder.searcher();
    const { index } = searcher;
    const position = index.documentById.get(docId);
    let q: string | null;
    try {
      q = readHighlightQuery(query);
    } catch (error) {
      if (!(error instanceof ParamError)) throw error;
      return send(response, 400, errorPage({ heading: '无法高亮', message: friendlyMessage(error, query), q: echoQuery(query), maxQueryLength }));
    }
    const document = position === undefined ? undefined : index.documents[position];
    if (document === undefined) return notFound(response, q ?? '', '找不到这篇文档', `没有 id 为“${docId}”的文档。索引可能已经更新，请重新搜索。`);
    const needles = q === null ? [] : searcher.needles(q);
    const paragraphs = Array.from({ length: document.paragraphCount }, (_, n) => {
      const id = document.firstParagraph + n;
      const text = index.paragraphText(id);
      const ranges = needles.length === 0 ? [] : highlightRanges(text, needles, index.foldedParagraph(id), index.foldKeepsOffsets(id));
      return { text, ranges, location: index.paragraphLocation(id) };
    });
    const target = readParagraph(query.p, document.paragraphCount);
    const original = originalFormat(document);
    send(response, 200, documentPage({ id: document.id, title: document.title, paragraphs, q, target, maxQueryLength, original }));
  };
  // Express 5 wildcard: the decoded path segments after /doc/, e.g. ['sub', 'a.txt'].
  router.get('/doc/*docId', (request, response) => showDocument((request.params.docId as unknown as string[]).join('/'), request, response));
  // Ids that cannot be a path (a segment that is empty, '.' or '..'; see views/urls.ts): /doc?id=…
  router.get('/doc', (request, response) => {
    const id = (request.query as Query).id;
    if (typeof id !== 'string') return notFound(response, '', '找不到这篇文档', '链接里没有文档 id。');
    showDocument(id, request, response);
  });

  router.use(originalFileRouter(holder));

  router.use((_request: Request, response: Response) => notFound(response, '', '找不到这个页面', '这个地址没有内容。'));
  // A malformed URL (e.g. a broken %-escape in the path) is the visitor's mistake: a page, not a 5xx. Server
  // errors go on to the application's handler, which logs them.
  router.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status !== 'number' || status >= 500 || response.headersSent) return next(error);
    send(response, status, errorPage({ heading: '无法打开这个地址', message: '链接的格式不对，可能被截断了。', q: '', maxQueryLength }));
  });
  return router;
}
