// parseServerConfig: defaults, the environment, and clear errors for bad values.
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
});
