// parseServerConfig: defaults, the environment, and clear errors for bad values.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseServerConfig } from '../server/config.js';

describe('parseServerConfig', () => {
  it('serves the default index on localhost:3000 with a result cache of 1000 answers by default', () => {
    const config = parseServerConfig([], {});
    expect(config).toMatchObject({ port: 3000, host: 'localhost', isDefaultIndex: true, resultCacheEntries: 1000 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the index, port, host and cache size from arguments and the environment', () => {
    expect(parseServerConfig(['--index', 'data/x', '--port', '0'], {})).toMatchObject({ indexDir: 'data/x', port: 0, isDefaultIndex: false });
    expect(parseServerConfig([], { PORT: '8080', HOST: '0.0.0.0', SOU_RESULT_CACHE: '0' })).toMatchObject({ port: 8080, host: '0.0.0.0', resultCacheEntries: 0 });
  });

  it('refuses bad values with a one-line error naming the setting', () => {
    expect(() => parseServerConfig([], { SOU_RESULT_CACHE: '-5' })).toThrow(ConfigError);
    expect(() => parseServerConfig([], { SOU_RESULT_CACHE: 'lots' })).toThrow(/SOU_RESULT_CACHE/);
    expect(() => parseServerConfig(['--port', '70000'], {})).toThrow(/--port/);
    expect(() => parseServerConfig(['--nope'], {})).toThrow(/usage: npm start/);
  });

  it('searches on the HTTP thread by default, on as many query workers as SOU_QUERY_WORKERS says', () => {
    expect(parseServerConfig([], {}).queryWorkers).toBe(0);
    expect(parseServerConfig([], { SOU_QUERY_WORKERS: String(availableParallelism()) }).queryWorkers).toBe(availableParallelism());
    expect(parseServerConfig([], { SOU_QUERY_WORKERS: '0' }).queryWorkers).toBe(0);
    expect(parseServerConfig([], { SOU_QUERY_WORKERS: '3' }).queryWorkers).toBe(3);
    for (const bad of ['-1', 'two', '1.5', '', '65']) expect(() => parseServerConfig([], { SOU_QUERY_WORKERS: bad }), bad).toThrow(/SOU_QUERY_WORKERS must be a whole number of threads from 0 to 64/);
  });

  it('keeps the default index in step with corpus/ unless --no-watch, and any index with --watch', () => {
    expect(parseServerConfig([], {}).updates).toEqual({ corpus: ['corpus'], settings: { rescanMs: 60_000 } });
    expect(parseServerConfig(['--no-watch'], {}).updates).toBeNull();
    expect(parseServerConfig(['--index', 'data/x'], {}).updates).toBeNull();
    expect(parseServerConfig(['--index', 'data/x', '--watch'], {}).updates).toEqual({ corpus: null, settings: { rescanMs: 60_000 } });
    expect(parseServerConfig(['--index', 'data/x', '--watch', '--corpus', 'a', '--corpus', 'b.jsonl', '--rescan', '5'], {}).updates).toEqual({
      corpus: ['a', 'b.jsonl'],
      settings: { rescanMs: 5000 },
    });
    expect(parseServerConfig(['--watch', '--rescan', '0'], {}).updates?.settings).toEqual({ rescanMs: null });
  });

  it('refuses watch flags without watch mode, contradictions and bad rescan intervals', () => {
    expect(() => parseServerConfig(['--index', 'data/x', '--corpus', 'a'], {})).toThrow(/--corpus and --rescan go with watch mode/);
    expect(() => parseServerConfig(['--no-watch', '--rescan', '5'], {})).toThrow(ConfigError);
    expect(() => parseServerConfig(['--watch', '--no-watch'], {})).toThrow(/contradict/);
    expect(() => parseServerConfig(['--watch', '--rescan', 'soon'], {})).toThrow(/--rescan must be a number of seconds/);
    expect(() => parseServerConfig(['--watch', '--rescan', '-1'], {})).toThrow(ConfigError);
  });
});
