// The search engine over a loaded index: query → candidates → verified, ranked hits → snippets.
import { isWordTerm, wordTerm } from '../../indexer/analyzer/index.js';
import type { LoadedIndex } from '../../indexer/index/load.js';
import { inTimeSlices } from '../../indexer/index/time-slices.js';
import { highlightRanges } from './highlight.js';
import { matchQuery, positiveWords, strictMatches, termsInEveryMatch, type MatchSource } from './match.js';
import { parseQuery, queryOfClauses, type ParsedQuery } from './query.js';
import { rank, type Candidates, type Ranked } from './rank.js';
import { oneOccurrenceWeights, RANKING, rankQuery, type RankingSource, type RankQuery } from './rank-query.js';
import { createRankScratch } from './rank-scratch.js';
import { CHAMPION_LIST_MINIMUM, createChampionLists, singleCharacter } from './champion-lists.js';
import { ascending, bitmapWords, type IdList } from './sets.js';
import { chooseSnippet } from './snippet.js';
import { FilterError, NO_FILTERS, withFilterTerms } from './filters.js';
import { FACET_NAMES, isRefined, refinedSearch, type Refinement } from './group.js';
import { WARM_UP_BUDGET_MS, WARM_UP_QUERIES, warmUpQueries } from './warm-up-queries.js';
import type { QueryRewrite, QuerySuggestion, SearchHit, SearchOptions, SearchResponse } from './types.js';
import { buildVocabularyInSlices, type Vocabulary } from '../../indexer/index/vocabulary.js';
import { completionsFor, type Completion } from './pinyin-query.js';
import { rewritePinyin } from './pinyin-rewrite.js';
import { suggestCorrection } from './suggestion.js';

export type { HitLocation, SearchHit, SearchOptions, SearchResponse, Snippet } from './types.js';

/**
 * A query as read before it is searched: parsed (jieba cuts its Chinese runs) and its pinyin runs read (the
 * vocabulary). Plain, structured-cloneable data: the server's query workers (server/query-pool.ts) search it
 * without jieba or the vocabulary, which stay on the HTTP thread.
 */
export interface AnalyzedQuery {
  /** As typed. */
  readonly query: string;
  /** What is searched: the query parsed, its pinyin runs replaced by the words they read as. */
  readonly parsed: ParsedQuery;
  readonly rewrite: QueryRewrite | null;
  /** Whether the vocabulary was there to read it (and so to offer a correction after). */
  readonly vocabularyReady: boolean;
}

export interface Searcher {
  readonly index: LoadedIndex;
  /**
   * Between requests: folds every text (index.warm), ranks the common characters' champion lists, and asks the
   * warm-up queries (warm-up-queries.ts) so that the query code is optimized; queries are faster after.
   */
  warm(): Promise<void>;
  /** The hits as data (text, highlight ranges, snippet window); the HTTP layer makes JSON or pages of them. */
  search(query: string, options: SearchOptions): SearchResponse;
  /**
   * search() in two halves, for a query worker. `analyze`: what needs jieba and the vocabulary. `searchAnalyzed`:
   * the rest (match, rank, snippets), with `suggestion` null; `suggestionFor` then gives the correction search()
   * would have put there (it needs the vocabulary and jieba again). Their answer is search()'s.
   */
  analyze(query: string): AnalyzedQuery;
  searchAnalyzed(analyzed: AnalyzedQuery, options: SearchOptions): SearchResponse;
  suggestionFor(analyzed: AnalyzedQuery, answer: Pick<SearchResponse, 'total' | 'relaxed'>): QuerySuggestion | null;
  /** warm() without the vocabulary and the warm-up queries: what a query worker warms before its queries. */
  warmData(): Promise<void>;
  /** The warm-up queries as warm() asks them, analyzed here without the vocabulary, for a query worker. */
  analyzedWarmUpQueries(): Promise<AnalyzedQuery[]>;
  /** Asks these warm-up queries as warm() does (within its budget). */
  warmUp(queries: readonly AnalyzedQuery[]): Promise<void>;
  /** What to mark in any text for this query (the document page uses it on every paragraph). */
  needles(query: string): readonly string[];
  /**
   * Builds the vocabulary (pinyin reading, corrections, completions) between requests, once; warm() asks for
   * it before its warm-up queries. Until it is built, searches read no pinyin and correct nothing
   * (`vocabularyReady: false`).
   */
  prepareVocabulary(): Promise<Vocabulary>;
  /** The vocabulary searches read now: this index's own once built, before that the replaced index's, or null. */
  vocabularyNow(): Vocabulary | null;
  /** Completions of a query typed so far, at most `limit`, most frequent first; null before the vocabulary is built. */
  complete(typed: string, limit: number): Completion[] | null;
}

/** Folded strings to highlight: every required word and whole run; in relaxed mode, the informative words. */
function needlesFor(query: ParsedQuery, relaxed: boolean): string[] {
  const words = positiveWords(query);
  if (relaxed) {
    const long = words.filter((word) => [...word].length >= 2);
    return long.length > 0 ? long : words;
  }
  const runs = query.clauses.filter((c) => !c.negated).flatMap((c) => c.alternatives.map((alt) => alt.folded));
  return [...new Set([...words, ...runs])];
}

function verbatimRuns(query: ParsedQuery): string[] {
  return query.clauses
    .filter((c) => !c.negated)
    .flatMap((c) => c.alternatives.filter((alt) => alt.kind === 'words' && alt.required.length > 1).map((alt) => alt.folded));
}

export interface SearcherOptions {
  /** How many hits the server's first page asks for: warm()'s warm-up queries ask the same. */
  readonly firstPageLimit?: number;
  /** Characters in at least this many paragraphs get a champion list (champion-lists.ts); Infinity: none. */
  readonly championListMinimum?: number;
  /** How many warm-up queries warm() asks (warm-up-queries.ts), within WARM_UP_BUDGET_MS; they are not cached. */
  readonly warmUpQueries?: number;
  /**
   * The vocabulary of the index this one replaces, read until this index's own is built, so that pinyin, slips
   * and suggestions go on working through a reload. Its counts are the old index's: completions are counted
   * again on this index while it serves.
   */
  readonly interimVocabulary?: Vocabulary | null;
}

/** The first page's size when the server does not say (SearcherOptions.firstPageLimit). */
const FIRST_PAGE_LIMIT = 10;

/**
 * A query's candidates for the ranking, how many paragraphs match, and whether they are a question's partial
 * matches. A champion list comes with the ranking query it was ranked by: the query's own would be the same.
 */
interface Found {
  readonly candidates: Candidates;
  readonly total: number;
  readonly relaxed: boolean;
  readonly ranking?: RankQuery;
}

/** A common character's champion list and the ranking query of the character alone. */
interface ChampionList {
  readonly ranking: RankQuery;
  readonly ranked: readonly Ranked[];
}

/**
 * N-grams in at least this share of paragraphs keep their postings as a bitmap (common characters: 在, 的): a
 * bitmap is then smaller than their ids, a question's partial matches take their union from it, and a strict
 * match narrows its candidates by a bit each (match.ts). Characters get theirs in warm(), pairs once asked for.
 */
const COMMON_BITMAP_SHARE = 1 / 32;

const tookSince = (started: number): number => Math.round((performance.now() - started) * 100) / 100;

export function createSearcher(
  index: LoadedIndex,
  { firstPageLimit = FIRST_PAGE_LIMIT, championListMinimum = CHAMPION_LIST_MINIMUM, warmUpQueries: warmUpCount = WARM_UP_QUERIES, interimVocabulary = null }: SearcherOptions = {},
): Searcher {
  const { paragraphCount } = index;
  const lengths = index.paragraphLength;
  const averageLength = Math.max(1, lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, paragraphCount));
  const oneOccurrence = oneOccurrenceWeights(lengths, averageLength);
  const documentStart = Uint32Array.from({ length: index.documents.length + 1 }, (_, d) => index.documents[d]?.firstParagraph ?? paragraphCount);

  // The gram index decodes Uint32Arrays that are ascending by construction (each id the one before plus one plus
  // a gap): checking them again was a pass over every posting read. Plain arrays (a test's source) are checked.
  const idList = (postings: ArrayLike<number>): IdList => (postings instanceof Uint32Array ? postings : ascending(postings));
  const commonBitmaps = new Map<string, Uint32Array>();
  const commonMinimum = Math.max(1, Math.ceil(COMMON_BITMAP_SHARE * paragraphCount));
  /** The n-gram's bitmap when it is common (`count`: its document frequency), made on first use. */
  const commonBitmap = (term: string, count: number): Uint32Array | undefined => {
    if (count < commonMinimum || isWordTerm(term)) return undefined;
    let words = commonBitmaps.get(term);
    if (words === undefined) commonBitmaps.set(term, (words = bitmapWords(idList(index.terms.postings(term)), paragraphCount)));
    return words;
  };

  const scratch = createRankScratch(paragraphCount);

  // Each search gets its own postings cache: a term is looked up (and a gram list decoded) at most once per query.
  function querySources(): MatchSource & RankingSource {
    const postingsCache = new Map<string, IdList>();
    const postings = (term: string): IdList => {
      let list = postingsCache.get(term);
      if (list === undefined) postingsCache.set(term, (list = idList(index.terms.postings(term))));
      return list;
    };
    /** An n-gram's document frequency: its postings' length when this query read them, else its stored count. */
    const gramCount = (term: string): number => postingsCache.get(term)?.length ?? index.terms.count(term);
    return {
      paragraphCount,
      averageLength,
      folded: index.foldedParagraph,
      length: (id) => lengths[id]!,
      oneOccurrence,
      foldedTitle: (id) => index.foldedTitle(index.paragraphDocument[id]!),
      postings,
      // Word postings (word-postings.ts) are counted by fetching them, and kept for ranking.
      documentFrequency: (term) => (isWordTerm(term) ? postings(term).length : gramCount(term)),
      titleDocumentCount: (term) => index.titles.count(term),
      titleDocuments: (term) => idList(index.titles.postings(term)),
      documentStart,
      commonBitmap,
      presenceBitmap: (term) => (isWordTerm(term) ? undefined : commonBitmap(term, gramCount(term))),
      scratch,
    };
  }

  const championLists = createChampionLists<ChampionList>(
    {
      count: (character) => index.terms.count(character),
      charactersInAtLeast: (minimum) => index.terms.charactersInAtLeast(minimum),
      list(character) {
        // The ranking query of the character alone, as searchAnew builds it (champion-lists.ts singleCharacter),
        // and its first block of hits, as rank() gives it for any `needed` up to the block's size.
        const source = querySources();
        const ranking = rankQuery(source, [character], [character], [], false, new Set([character]));
        return { ranking, ranked: rank(source, ranking, { kind: 'ids', ids: source.postings(character) }, RANKING.exactCandidates) };
      },
    },
    championListMinimum,
  );

  /** Matching paragraphs (a question's as a bitmap), or a common character's champion list. */
  function candidates(source: MatchSource & RankingSource, parsed: ParsedQuery, needed: number): Found {
    const character = needed <= RANKING.exactCandidates ? singleCharacter(parsed) : null;
    const champions = character === null ? undefined : championLists.get(character);
    if (character !== null && champions !== undefined) {
      return { candidates: { kind: 'champions', ranked: champions.ranked }, total: index.terms.count(character), relaxed: false, ranking: champions.ranking };
    }
    const match = matchQuery(source, parsed);
    return match.relaxed
      ? { candidates: { kind: 'bitmap', bitmap: match.bitmap }, total: match.bitmap.count, relaxed: true }
      : { candidates: { kind: 'ids', ids: match.ids }, total: match.ids.length, relaxed: false };
  }

  /** What the query ranks by: its positive parts' terms and words, read as a question when relaxed. */
  function rankingQuery(source: RankingSource, parsed: ParsedQuery, relaxed: boolean): RankQuery {
    const rankTerms = parsed.clauses.filter((c) => !c.negated).flatMap((c) => c.alternatives.map((alt) => alt.folded));
    return rankQuery(source, rankTerms, positiveWords(parsed), relaxed ? [] : verbatimRuns(parsed), relaxed, relaxed ? new Set() : termsInEveryMatch(parsed));
  }

  /** The best `needed` (at least) of the candidates, best first. */
  function ranked(source: MatchSource & RankingSource, parsed: ParsedQuery, found: Found, needed: number): readonly Ranked[] {
    if (found.total === 0) return [];
    return rank(source, found.ranking ?? rankingQuery(source, parsed, found.relaxed), found.candidates, needed);
  }

  function hit(id: number, score: number, needles: readonly string[]): SearchHit {
    const document = index.documents[index.paragraphDocument[id]!]!;
    const text = index.paragraphText(id);
    const highlights = highlightRanges(text, needles, index.foldedParagraph(id), index.foldKeepsOffsets(id));
    const paragraph = id - document.firstParagraph;
    return {
      id: `${document.id}#${paragraph}`,
      docId: document.id,
      paragraph,
      title: document.title,
      score,
      text,
      highlights,
      snippet: chooseSnippet(text, highlights),
      location: index.paragraphLocation(id),
    };
  }

  let vocabulary: Vocabulary | null = null;
  let vocabularyBuilt: Promise<Vocabulary> | null = null;
  /** The replaced index's vocabulary until this one's is built (SearcherOptions.interimVocabulary), then none. */
  let interim: Vocabulary | null = interimVocabulary;
  const vocabularyNow = (): Vocabulary | null => vocabulary ?? interim;
  /** Paragraphs that strictly match (a question's partial matches are neither made nor counted). */
  const strictTotal = (source: MatchSource, parsed: ParsedQuery): number => strictMatches(source, parsed).length;
  // A suggested phrase shows what its search finds: a hanzi run is searched as its words (no pinyin reading).
  const phrases = { paragraphCount, folded: index.foldedParagraph, count: (phrase: string) => strictTotal(querySources(), parseQuery(phrase)) };
  const prepareVocabulary = (): Promise<Vocabulary> =>
    (vocabularyBuilt ??= buildVocabularyInSlices(index.wordCounts(), { phrases }).then((built) => {
      interim = null;
      return (vocabulary = built);
    }));

  /** How the query was read: its pinyin rewrite, a correction, and whether the vocabulary was there to ask. */
  type QueryHelp = Pick<SearchResponse, 'rewrite' | 'suggestion' | 'vocabularyReady'>;

  /** A search with filters, grouping, a sort or facets (group.ts): the query's matches, refined. */
  function searchRefined(
    source: MatchSource & RankingSource,
    query: string,
    parsed: ParsedQuery,
    refinement: Refinement,
    { limit, offset }: SearchOptions,
    started: number,
    help: (total: number, relaxed: boolean, strictMatches?: ArrayLike<number>) => QueryHelp,
  ): SearchResponse {
    const match = matchQuery(source, parsed);
    const { relaxed } = match;
    const matches = match.relaxed ? ({ kind: 'bitmap', bitmap: match.bitmap } as const) : ({ kind: 'ids', ids: match.ids } as const);
    const needles = needlesFor(parsed, relaxed);
    const input = { index, source, ranking: rankingQuery(source, parsed, relaxed), matches, hit: (id: number, score: number) => hit(id, score, needles) };
    const { total, hits, groups, ...refined } = refinedSearch(input, refinement, offset, limit);
    // tookMs and hits last but for groups, as answer-json.ts writes them.
    const strictMatches = match.relaxed ? undefined : match.ids;
    return { query, terms: parsed.terms, total, relaxed, offset, limit, ...help(total, relaxed, strictMatches), ...refined, tookMs: tookSince(started), hits, ...(groups === undefined ? {} : { groups }) };
  }

  function analyze(query: string, source: MatchSource = querySources()): AnalyzedQuery {
    const known = vocabularyNow();
    const typed = parseQuery(query);
    if (known === null) return { query, parsed: typed, rewrite: null, vocabularyReady: false };
    const { query: parsed, rewrite } = rewritePinyin(typed, known, (clauses) => strictTotal(source, queryOfClauses(clauses)) > 0);
    return { query, parsed, rewrite, vocabularyReady: true };
  }

  /** The correction of an analyzed query that found `total` (strictly unless `relaxed`), or null. */
  function suggestionFor(
    { query, parsed, rewrite, vocabularyReady }: AnalyzedQuery,
    total: number,
    relaxed: boolean,
    source: MatchSource,
    strictMatches?: ArrayLike<number>,
  ): QuerySuggestion | null {
    // A vocabulary, once there, stays (an interim one until this index's own replaces it): an analyzed query that
    // had one finds one here.
    const known = vocabularyNow();
    if (!vocabularyReady || known === null || rewrite !== null) return null;
    // The query's strict matches, when at hand, show most of its terms occur without counting them again.
    const inMatches =
      strictMatches === undefined || relaxed
        ? undefined
        : (text: string): boolean => {
            for (let i = 0; i < strictMatches.length; i++) if (source.folded(strictMatches[i]!).includes(text)) return true;
            return false;
          };
    return suggestCorrection(query, parsed, relaxed ? 0 : total, known, { total: (corrected) => strictTotal(source, corrected), ...(inMatches === undefined ? {} : { inMatches }) });
  }

  function searchAnew(query: string, options: SearchOptions, started: number): SearchResponse {
    const source = querySources();
    return searchWith(analyze(query, source), options, started, source, true);
  }

  /** The search of an analyzed query; `correct`: with its correction, else `suggestion` null (suggestionFor). */
  function searchWith(analyzed: AnalyzedQuery, options: SearchOptions, started: number, source: MatchSource & RankingSource, correct: boolean): SearchResponse {
    const { limit, offset } = options;
    const { query, parsed, rewrite, vocabularyReady } = analyzed;
    const help = (total: number, relaxed: boolean, strictMatches?: ArrayLike<number>): QueryHelp => ({
      rewrite,
      suggestion: correct ? suggestionFor(analyzed, total, relaxed, source, strictMatches) : null,
      vocabularyReady,
    });
    const refinement: Refinement = {
      filters: withFilterTerms(options.filters ?? NO_FILTERS, parsed.filters),
      group: options.group === 'doc',
      sort: options.sort ?? 'relevance',
      facets: options.facets ?? [],
    };
    if (isRefined(refinement)) return searchRefined(source, query, parsed, refinement, options, started, help);
    const needed = offset + limit;
    const found = candidates(source, parsed, needed);
    const { total, relaxed } = found;
    const best = ranked(source, parsed, found, needed);
    const needles = needlesFor(parsed, relaxed);
    const page = best.slice(offset, needed);
    const hits = page.map(({ id, score }) => hit(id, score, needles));
    const strictMatches = found.candidates.kind === 'ids' ? found.candidates.ids : undefined;
    return { query, terms: parsed.terms, total, relaxed, offset, limit, ...help(total, relaxed, strictMatches), tookMs: tookSince(started), hits };
  }

  async function warmData(): Promise<void> {
    await index.warm();
    await championLists.warm();
    // Common characters' bitmaps too: a query's first use would otherwise decode the character's postings.
    const common = index.terms.charactersInAtLeast(commonMinimum);
    await inTimeSlices(common.length, (i) => commonBitmap(common[i]!, index.terms.count(common[i]!)));
  }

  /**
   * Asks `count` warm-up queries, the i-th searched as `ask(i, options)` does, searched as a user's query is but
   * not cached (no user asked them), and stops at the budget.
   */
  async function askWarmUpQueries(count: number, ask: (i: number, options: SearchOptions) => void): Promise<void> {
    // The first page, as the search box asks; a plain object of the callers' shape (a frozen one has a map of
    // its own, and code optimized for it alone was thrown away at the first user's query).
    const deadline = performance.now() + WARM_UP_BUDGET_MS;
    await inTimeSlices(count, (i) => {
      if (performance.now() >= deadline) return;
      try {
        // Every other one as the results page asks it too: grouped by document, with its facets (group.ts).
        ask(i, i % 2 === 0 ? { limit: firstPageLimit, offset: 0 } : { limit: firstPageLimit, offset: 0, group: 'doc', facets: FACET_NAMES });
      } catch (error) {
        if (!(error instanceof FilterError)) throw error; // a text with `after:…` that is no date, asked as a query
      }
    });
  }

  return {
    index,
    async warm() {
      await warmData();
      // Then the vocabulary (pinyin, corrections, suggestions): after what makes every search fast, before the
      // warm-up queries, which then run its code too.
      await prepareVocabulary();
      // Last, the warm-up queries.
      const queries = warmUpQueries({ length: paragraphCount, at: index.paragraphText }, warmUpCount);
      await askWarmUpQueries(queries.length, (i, options) => searchAnew(queries[i]!, options, performance.now()));
    },
    warmData,
    async analyzedWarmUpQueries() {
      const queries = warmUpQueries({ length: paragraphCount, at: index.paragraphText }, warmUpCount);
      const analyzed: AnalyzedQuery[] = [];
      // Parsed between requests: jieba cuts thousands of them.
      await inTimeSlices(queries.length, (i) => void analyzed.push({ query: queries[i]!, parsed: parseQuery(queries[i]!), rewrite: null, vocabularyReady: false }));
      return analyzed;
    },
    warmUp(queries) {
      return askWarmUpQueries(queries.length, (i, options) => searchWith(queries[i]!, options, performance.now(), querySources(), false));
    },
    search(query, options) {
      return searchAnew(query, options, performance.now());
    },
    analyze(query) {
      return analyze(query);
    },
    searchAnalyzed(analyzed, options) {
      return searchWith(analyzed, options, performance.now(), querySources(), false);
    },
    suggestionFor(analyzed, { total, relaxed }) {
      return suggestionFor(analyzed, total, relaxed, querySources());
    },
    needles(query) {
      // The document page marks what the results page marked: a pinyin run's word, not its letters.
      return needlesFor(analyze(query).parsed, false);
    },
    prepareVocabulary,
    vocabularyNow,
    complete(typed, limit) {
      if (vocabulary !== null) return completionsFor(typed, vocabulary, limit);
      if (interim === null) return null;
      // The replaced index's vocabulary: each completion counted again here, and none that finds nothing now.
      const interimVocabulary = interim;
      return completionsFor(typed, interimVocabulary, limit)
        .map((completion) => {
          const id = interimVocabulary.entryIdOf(completion.word);
          const count = id !== undefined && interimVocabulary.isPhrase(id) ? phrases.count(completion.word) : index.terms.count(wordTerm(completion.word));
          return { ...completion, count };
        })
        .filter((completion) => completion.count > 0);
    },
  };
}
