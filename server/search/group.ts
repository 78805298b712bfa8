// A search with filters, grouping by document, a sort or facets (types.ts): from the query's matching
// paragraphs (unfiltered) to the filtered, ordered page of hits or of documents, with exact totals.
//
// - The matches are counted per document once (a list's as runs of consecutive ids, rank-groups.ts): the totals
//   (paragraphs and documents) and the facets are sums of those counts over the documents that pass the
//   filters; nothing is estimated.
// - Relevance keeps the ungrouped ranking's order: a filtered query's hits are the unfiltered ones with the other
//   documents' taken out, and documents come in the order of their best paragraph in it (rank-groups.ts for a
//   list of matches, rank.ts rankKept for a question's bitmap).
// - A document's card shows its first GROUP_HITS matching paragraphs in that same order (reading order under
//   sort=document), so that its "N more" (the document alone, offset GROUP_HITS) goes on where the card stops.
import type { LoadedIndex } from '../../indexer/index/load.js';
import { dayText } from '../../indexer/corpus/dates.js';
import { countFacets } from './facets.js';
import { isFiltered, markDocuments, type DocumentMarks } from './filters.js';
import { firstPass, type FirstPassCandidates } from './first-pass.js';
import { rank, rankKept, type Ranked } from './rank.js';
import { candidateRuns, firstOfRuns, rankGroups, rankKeptRuns, type CandidateRuns } from './rank-groups.js';
import { RANKING, type RankingSource, type RankQuery } from './rank-query.js';
import type { FacetName, Facets, Filters, FiltersEcho, SearchGroup, SearchHit, SortOrder } from './types.js';
import { hasId, indexOf, lowestId } from './sets.js';

export const SORT_ORDERS: readonly SortOrder[] = ['relevance', 'newest', 'oldest', 'document'];
export const FACET_NAMES: readonly FacetName[] = ['folder', 'type', 'year'];

/** Matching paragraphs a document's card shows: its best and two more. */
export const GROUP_HITS = 3;

export interface Refinement {
  readonly filters: Filters;
  readonly group: boolean;
  readonly sort: SortOrder;
  readonly facets: readonly FacetName[];
}

/** What the engine hands over: the index, the query's ranking, its unfiltered matches (null: none) and hits. */
export interface RefineInput {
  readonly index: LoadedIndex;
  readonly source: RankingSource;
  readonly ranking: RankQuery;
  readonly matches: FirstPassCandidates | null;
  readonly hit: (id: number, score: number) => SearchHit;
}

export interface RefinedAnswer {
  readonly total: number;
  readonly documents: number;
  readonly filters: FiltersEcho;
  readonly sort: SortOrder;
  readonly group: 'doc' | null;
  readonly facets?: Facets;
  readonly hits: readonly SearchHit[];
  readonly groups?: readonly SearchGroup[];
}

export function echoFilters(filters: Filters): FiltersEcho {
  return {
    in: filters.folders,
    type: filters.types,
    title: filters.titles,
    year: filters.years,
    after: filters.after === null ? null : dayText(filters.after),
    before: filters.before === null ? null : dayText(filters.before),
    doc: filters.document,
  };
}

/**
 * The matching paragraphs of each document, and the documents with any, ascending; a list's matches also as runs
 * of one document each (rank-groups.ts).
 */
interface MatchCounts {
  readonly perDocument: Uint32Array;
  readonly documents: number[];
  readonly runs?: CandidateRuns;
}

function countMatches(index: LoadedIndex, matches: FirstPassCandidates | null): MatchCounts {
  const perDocument = new Uint32Array(index.documents.length);
  if (matches?.kind === 'ids') {
    // A document's matches are consecutive ids: its count is the length of its run, found by galloping.
    const runs = candidateRuns(matches.ids, index.paragraphDocument);
    for (let r = 0; r < runs.group.length; r++) perDocument[runs.group[r]!] = runs.start[r + 1]! - runs.start[r]!;
    return { perDocument, documents: Array.from(runs.group), runs };
  }
  const documents: number[] = [];
  if (matches?.kind === 'bitmap') {
    const of = index.paragraphDocument;
    const { words } = matches.bitmap;
    for (let w = 0; w < words.length; w++) {
      for (let bits = words[w]!; bits !== 0; bits &= bits - 1) {
        const d = of[lowestId(w, bits)]!;
        if (perDocument[d]!++ === 0) documents.push(d);
      }
    }
  }
  return { perDocument, documents };
}

/** The matching paragraphs of document `d`, in reading order. */
function matchesIn(index: LoadedIndex, matches: FirstPassCandidates, d: number): number[] {
  const { firstParagraph, paragraphCount } = index.documents[d]!;
  const end = firstParagraph + paragraphCount;
  const found: number[] = [];
  if (matches.kind === 'ids') {
    const at = indexOf(matches.ids, firstParagraph, 0);
    for (let i = at >= 0 ? at : -at - 1; i < matches.ids.length && matches.ids[i]! < end; i++) found.push(matches.ids[i]!);
  } else {
    for (let id = firstParagraph; id < end; id++) if (hasId(matches.bitmap.words, id)) found.push(id);
  }
  return found;
}

/** Documents in the order of a sort other than relevance: by date (undated last), else corpus order. */
function sortDocuments(index: LoadedIndex, documents: readonly number[], sort: Exclude<SortOrder, 'relevance'>): number[] {
  if (sort === 'document') return [...documents];
  const sign = sort === 'newest' ? -1 : 1;
  const date = (d: number): number | undefined => index.documents[d]!.date;
  return [...documents].sort((a, b) => {
    const da = date(a);
    const db = date(b);
    if (da === undefined || db === undefined) return da === db ? a - b : da === undefined ? 1 : -1;
    return sign * (da - db) || a - b;
  });
}

export function refinedSearch(input: RefineInput, refinement: Refinement, offset: number, limit: number): RefinedAnswer {
  const { index, matches } = input;
  const { filters, sort, group } = refinement;
  const marks = markDocuments(index, filters);
  const counts = countMatches(index, matches);
  const kept = counts.documents.filter((d) => marks.fails[d] === 0);
  const total = kept.reduce((sum, d) => sum + counts.perDocument[d]!, 0);
  const facets = refinement.facets.length === 0 ? undefined : countFacets(index, marks, counts.documents, refinement.facets, filters);
  const head = { total, documents: kept.length, filters: echoFilters(filters), sort, group: group ? ('doc' as const) : null, ...(facets === undefined ? {} : { facets }) };
  if (matches === null || total === 0) return group ? { ...head, hits: [], groups: [] } : { ...head, hits: [] };
  const context: PageContext = { input, matches, marks, counts, kept };
  if (group) return { ...head, hits: [], groups: groupedPage(context, sort, offset, limit) };
  return { ...head, hits: paragraphPage(context, sort, offset, limit) };
}

interface PageContext {
  readonly input: RefineInput;
  readonly matches: FirstPassCandidates;
  readonly marks: DocumentMarks;
  readonly counts: MatchCounts;
  /** Matching documents that pass the filters, ascending. */
  readonly kept: readonly number[];
}

const keptBy = (index: LoadedIndex, marks: DocumentMarks) => (id: number): boolean => marks.fails[index.paragraphDocument[id]!] === 0;

/** Relevance scores for hits shown in another order: their ranking among themselves. */
function scoresAmong(input: RefineInput, ids: readonly number[]): Map<number, number> {
  if (ids.length === 0) return new Map();
  const list = Uint32Array.from(ids).sort();
  return new Map(rank(input.source, input.ranking, { kind: 'ids', ids: list }, list.length).map(({ id, score }) => [id, score]));
}

/** The runs (rank-groups.ts) of the documents that pass the filters, ascending. */
function keptRuns(runs: CandidateRuns, marks: DocumentMarks): number[] {
  const kept: number[] = [];
  for (let r = 0; r < runs.group.length; r++) if (marks.fails[runs.group[r]!] === 0) kept.push(r);
  return kept;
}

function paragraphPage({ input, matches, marks, counts, kept }: PageContext, sort: SortOrder, offset: number, limit: number): SearchHit[] {
  const { index } = input;
  if (sort === 'relevance') {
    const needed = offset + limit;
    const ranked =
      matches.kind === 'ids' && counts.runs !== undefined
        ? rankKeptRuns(input.source, input.ranking, firstPass(input.source, input.ranking, matches, RANKING.exactCandidates), counts.runs, keptRuns(counts.runs, marks), needed)
        : rankKept(input.source, input.ranking, matches, { keep: keptBy(index, marks), enough: (hits) => hits.length >= needed }).ranked;
    return ranked.slice(offset, needed).map(({ id, score }) => input.hit(id, score));
  }
  // Documents in the sort's order, each one's matches in reading order: skip whole documents up to the offset.
  const ids: number[] = [];
  let skipped = 0;
  for (const d of sortDocuments(index, kept, sort)) {
    if (ids.length >= limit) break;
    const count = counts.perDocument[d]!;
    if (skipped + count <= offset) {
      skipped += count;
      continue;
    }
    const found = matchesIn(index, matches, d);
    const from = Math.max(0, offset - skipped);
    skipped += from;
    ids.push(...found.slice(from, from + limit - ids.length));
  }
  const scores = scoresAmong(input, ids);
  return ids.map((id) => input.hit(id, scores.get(id)!));
}

function groupEntry(input: RefineInput, d: number, total: number, ranked: readonly Ranked[]): SearchGroup {
  const document = input.index.documents[d]!;
  const hits = ranked.slice(0, GROUP_HITS).map(({ id, score }) => input.hit(id, score));
  return {
    docId: document.id,
    title: document.title,
    format: document.format ?? null,
    date: document.date === undefined ? null : dayText(document.date),
    score: ranked[0]?.score ?? 0,
    total,
    hits,
  };
}

/** Each document's hits of `ranked`, in order, for the documents of `onPage`. */
function collect(byDocument: Map<number, Ranked[]>, of: Uint32Array, ranked: readonly Ranked[], onPage: ReadonlySet<number>): void {
  for (const hit of ranked) {
    const d = of[hit.id]!;
    if (!onPage.has(d)) continue;
    const list = byDocument.get(d);
    if (list === undefined) byDocument.set(d, [hit]);
    else list.push(hit);
  }
}

function groupedPage(context: PageContext, sort: SortOrder, offset: number, limit: number): SearchGroup[] {
  const { input, matches, counts, kept } = context;
  const { index } = input;
  if (sort === 'document') {
    const page = kept.slice(offset, offset + limit);
    return page.map((d) => {
      const ids = matchesIn(index, matches, d).slice(0, GROUP_HITS);
      const scores = scoresAmong(input, ids);
      return groupEntry(input, d, counts.perDocument[d]!, ids.map((id) => ({ id, score: scores.get(id)! })));
    });
  }
  if (matches.kind === 'ids' && counts.runs !== undefined) return groupedListPage(context, counts.runs, matches, sort, offset, limit);
  return groupedBitmapPage(context, sort, offset, limit);
}

/**
 * A list's grouped page by relevance, newest or oldest (rank-groups.ts): from its whole first pass, the page's
 * documents in the order of their best paragraphs and each card's paragraphs, with ranks counted for those alone.
 */
function groupedListPage(
  { input, marks, counts, kept }: PageContext,
  runs: CandidateRuns,
  matches: { readonly kind: 'ids'; readonly ids: Uint32Array },
  sort: Exclude<SortOrder, 'document'>,
  offset: number,
  limit: number,
): SearchGroup[] {
  const { index, source, ranking } = input;
  const first = firstPass(source, ranking, matches, RANKING.exactCandidates);
  const entry = (run: number, ranked: readonly Ranked[]): SearchGroup => groupEntry(input, runs.group[run]!, counts.perDocument[runs.group[run]!]!, ranked);
  if (sort === 'relevance') {
    return rankGroups(source, ranking, first, runs, keptRuns(runs, marks), { offset, limit, perGroup: GROUP_HITS }).map(({ run, hits }) => entry(run, hits));
  }
  // runs.group ascends: a document's run by binary search.
  const runOf = (d: number): number => indexOf(runs.group, d, 0);
  const page = sortDocuments(index, kept, sort).slice(offset, offset + limit).map(runOf);
  const cards = firstOfRuns(source, ranking, first, runs, page, GROUP_HITS);
  return page.map((run) => entry(run, cards.get(run)!));
}

/** A question's grouped page (its matches a bitmap): rankKept deep enough for the page's documents and cards. */
function groupedBitmapPage({ input, matches, marks, counts, kept }: PageContext, sort: SortOrder, offset: number, limit: number): SearchGroup[] {
  const { index } = input;
  const of = index.paragraphDocument;
  const wanted = (d: number): number => Math.min(GROUP_HITS, counts.perDocument[d]!);
  let page: number[];
  let depth = 0;
  const byDocument = new Map<number, Ranked[]>();
  if (sort === 'relevance') {
    // Deep enough in the ranking to have met the page's documents: their order is that of their first paragraph.
    const needed = offset + limit;
    const distinct = (ranked: readonly Ranked[]): number[] => {
      const seen = new Set<number>();
      const order: number[] = [];
      for (const { id } of ranked) {
        const d = of[id]!;
        if (!seen.has(d)) order.push(d), seen.add(d);
      }
      return order;
    };
    const first = rankKept(input.source, input.ranking, matches, {
      keep: keptBy(index, marks),
      enough: (ranked) => distinct(ranked).length >= needed,
      // The order of documents is that of their first paragraphs: a document's later ones need no score here.
      firstOfEachGroup: of,
    });
    depth = first.depth;
    page = distinct(first.ranked).slice(offset, needed);
    collect(byDocument, of, first.ranked, new Set(page));
  } else {
    page = sortDocuments(index, kept, sort).slice(offset, offset + limit);
  }
  // The cards' paragraphs: the same ranking, only the page's documents kept, as deep as their cards need.
  if (page.some((d) => (byDocument.get(d)?.length ?? 0) < wanted(d))) {
    const onPage = new Set(page);
    const enough = (ranked: readonly Ranked[]): boolean => {
      const seen = new Map<number, number>();
      for (const { id } of ranked) seen.set(of[id]!, (seen.get(of[id]!) ?? 0) + 1);
      return page.every((d) => (seen.get(d) ?? 0) >= wanted(d));
    };
    const more = rankKept(input.source, input.ranking, matches, { keep: (id) => onPage.has(of[id]!), enough, from: depth });
    byDocument.clear();
    collect(byDocument, of, more.ranked, onPage);
  }
  return page.map((d) => groupEntry(input, d, counts.perDocument[d]!, byDocument.get(d) ?? []));
}

/** Whether a search asks for more than today's paragraph hits. */
export const isRefined = (r: Refinement): boolean => isFiltered(r.filters) || r.group || r.sort !== 'relevance' || r.facets.length > 0;
