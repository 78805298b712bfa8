// Server configuration, parsed once from the command line and the environment into a frozen object.
// Nothing else in the server reads process.env or process.argv.
import { parseArgs } from 'node:util';
import { DEFAULT_CORPUS, DEFAULT_INDEX } from '../indexer/defaults.js';

export interface ServerConfig {
  readonly indexDir: string;
  /** True when serving the default index of corpus/, which `npm start` builds or refreshes itself. */
  readonly isDefaultIndex: boolean;
  readonly corpusDir: string;
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** How often the manifest is checked for a new build, in milliseconds (SOU_MANIFEST_POLL_MS; 0: only SIGHUP reloads). */
  readonly watchIntervalMs: number;
  /** How long SIGTERM keeps serving with GET /readyz answering 503 before it stops listening (SOU_DRAIN_MS). */
  readonly drainMs: number;
  /** Answers kept for queries asked again (SOU_RESULT_CACHE; 0 turns the cache off). */
  readonly resultCacheEntries: number;
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
      options: { index: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError(`sou: ${(error as Error).message}\nusage: npm start -- [--index DIR] [--port N] [--host H]`);
  }
  const indexDir = values.index ?? env.SOU_INDEX ?? DEFAULT_INDEX;
  return Object.freeze({
    indexDir,
    isDefaultIndex: values.index === undefined && env.SOU_INDEX === undefined,
    corpusDir: DEFAULT_CORPUS,
    port: values.port !== undefined ? port(values.port, '--port') : env.PORT !== undefined ? port(env.PORT, 'PORT') : 3000,
    host: values.host ?? env.HOST ?? 'localhost',
    logLevel: env.LOG_LEVEL ?? 'info',
    watchIntervalMs: milliseconds(env.SOU_MANIFEST_POLL_MS, 1000, 'SOU_MANIFEST_POLL_MS'),
    drainMs: milliseconds(env.SOU_DRAIN_MS, 0, 'SOU_DRAIN_MS'),
    resultCacheEntries: parseResultCacheEntries(env.SOU_RESULT_CACHE, 'SOU_RESULT_CACHE'),
  });
}
