// Server configuration, parsed once from the command line and the environment into a frozen object.
// Nothing else in the server reads process.env or process.argv.
import { parseArgs } from 'node:util';
import { DEFAULT_CORPUS, DEFAULT_INDEX } from '../indexer/defaults.js';
import { parseRescanSeconds, type WatchSettings } from '../indexer/watch/settings.js';

const USAGE = 'usage: npm start -- [--index DIR] [--port N] [--host H] [--watch] [--corpus PATH]... [--rescan SECONDS] [--no-watch]';

/** Keeping the served index in step with its corpus folder (server/index-updates.ts). */
export interface UpdatesConfig {
  /** The corpus inputs to watch and build from; null: those the served index was built from (its manifest). */
  readonly corpus: readonly string[] | null;
  readonly settings: WatchSettings;
}

export interface ServerConfig {
  readonly indexDir: string;
  /** True when serving the default index of corpus/, which `npm start` builds or refreshes itself. */
  readonly isDefaultIndex: boolean;
  readonly corpusDir: string;
  /** Watch mode: on for the default index and with --watch, off with --no-watch (null). */
  readonly updates: UpdatesConfig | null;
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** How often the manifest is checked for a new build, in milliseconds (SOU_MANIFEST_POLL_MS; 0: only SIGHUP reloads). */
  readonly watchIntervalMs: number;
  /** How long SIGTERM keeps serving with GET /readyz answering 503 before it stops listening (SOU_DRAIN_MS). */
  readonly drainMs: number;
  /** Answers kept for queries asked again (SOU_RESULT_CACHE; 0 turns the cache off). */
  readonly resultCacheEntries: number;
  /** Query worker threads (SOU_QUERY_WORKERS; default 0: queries on the HTTP thread; query-pool.ts). */
  readonly queryWorkers: number;
}

/** The most query workers SOU_QUERY_WORKERS may ask for: each holds its own decoded texts (docs/design.md §11.9). */
export const MAX_QUERY_WORKERS = 64;

/**
 * SOU_QUERY_WORKERS: a whole number 0–64; unset, 0. The pool is opt-in: on a machine of two cores it measured no
 * gain in requests/s for 1.8 times the memory (BENCHMARKS.md, "Every core").
 */
export function parseQueryWorkers(text: string | undefined, source: string): number {
  if (text === undefined) return 0;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > MAX_QUERY_WORKERS) throw new ConfigError(`sou: ${source} must be a whole number of threads from 0 to ${MAX_QUERY_WORKERS}, not "${text}"`);
  return value;
}

const DEFAULT_RESULT_CACHE_ENTRIES = 1000;

/** The result cache's size from `source` (SOU_RESULT_CACHE, or `npm run load`'s --result-cache); unset: the default. */
export function parseResultCacheEntries(text: string | undefined, source: string): number {
  if (text === undefined) return DEFAULT_RESULT_CACHE_ENTRIES;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new ConfigError(`sou: ${source} must be a whole number of entries ≥ 0, not "${text}"`);
  return value;
}

export class ConfigError extends Error {}

function milliseconds(text: string | undefined, fallback: number, source: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new ConfigError(`sou: ${source} must be a whole number of milliseconds ≥ 0, not "${text}"`);
  return value;
}

function port(text: string, source: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 0 || value > 65535) throw new ConfigError(`sou: ${source} must be a port number 0–65535, not "${text}"`);
  return value;
}

export function parseServerConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ServerConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        index: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        watch: { type: 'boolean', default: false },
        'no-watch': { type: 'boolean', default: false },
        corpus: { type: 'string', multiple: true },
        rescan: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(`sou: ${(error as Error).message}\n${USAGE}`);
  }
  const indexDir = values.index ?? env.SOU_INDEX ?? DEFAULT_INDEX;
  const isDefaultIndex = values.index === undefined && env.SOU_INDEX === undefined;
  if (values.watch && values['no-watch']) throw new ConfigError(`sou: --watch and --no-watch contradict each other\n${USAGE}`);
  // The default index follows corpus/ unless told not to; any other index when asked.
  const watching = values.watch || (isDefaultIndex && !values['no-watch']);
  const corpus = values.corpus !== undefined && values.corpus.length > 0 ? Object.freeze([...values.corpus]) : null;
  if (!watching && (corpus !== null || values.rescan !== undefined)) {
    throw new ConfigError(`sou: --corpus and --rescan go with watch mode (--watch)\n${USAGE}`);
  }
  let settings: WatchSettings;
  try {
    settings = parseRescanSeconds(values.rescan, '--rescan');
  } catch (error) {
    throw new ConfigError(`sou: ${(error as Error).message}`);
  }
  return Object.freeze({
    indexDir,
    isDefaultIndex,
    corpusDir: DEFAULT_CORPUS,
    updates: watching ? Object.freeze({ corpus: corpus ?? (isDefaultIndex ? Object.freeze([DEFAULT_CORPUS]) : null), settings: Object.freeze(settings) }) : null,
    port: values.port !== undefined ? port(values.port, '--port') : env.PORT !== undefined ? port(env.PORT, 'PORT') : 3000,
    host: values.host ?? env.HOST ?? 'localhost',
    logLevel: env.LOG_LEVEL ?? 'info',
    watchIntervalMs: milliseconds(env.SOU_MANIFEST_POLL_MS, 1000, 'SOU_MANIFEST_POLL_MS'),
    drainMs: milliseconds(env.SOU_DRAIN_MS, 0, 'SOU_DRAIN_MS'),
    resultCacheEntries: parseResultCacheEntries(env.SOU_RESULT_CACHE, 'SOU_RESULT_CACHE'),
    queryWorkers: parseQueryWorkers(env.SOU_QUERY_WORKERS, 'SOU_QUERY_WORKERS'),
  });
}
