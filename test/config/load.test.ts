import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfig, priceMicros } from '../../src/config/load.js';

/** The configuration: defaults, the JSON file, RETOUCH_* variables, in that order; every problem at once. */

const dir = mkdtempSync(join(tmpdir(), 'retouch-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('environment variables', () => {
  test('are read into their settings, with lists and switches parsed', () => {
    const config = loadConfig({
      env: {
        RETOUCH_HOST: '0.0.0.0',
        RETOUCH_PORT: '9090',
        RETOUCH_DATA_DIR: '/srv/retouch',
        RETOUCH_LOG_LEVEL: 'warn',
        RETOUCH_DEFAULT_MODEL: 'local-edit',
        RETOUCH_FETCH_ALLOW: 'images.internal, 10.20.0.0/16 ,,',
        RETOUCH_RATE_LIMIT_RPM: '120',
        RETOUCH_BOOTSTRAP_KEY: 'false',
      },
    });
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.port, 9090);
    assert.equal(config.dataDir, '/srv/retouch');
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.defaultEditModel, 'local-edit');
    assert.deepEqual(config.inputs.fetch.allow, ['images.internal', '10.20.0.0/16']);
    assert.equal(config.rateLimits.default.requestsPerMinute, 120);
    assert.equal(config.bootstrapKey, false);
  });

  test('an empty variable is the same as an unset one', () => {
    assert.equal(loadConfig({ env: { RETOUCH_PORT: '' } }).port, loadConfig({ env: {} }).port);
  });
});

describe('the config file', () => {
  test('is merged deeply over the defaults and the built-in models, and the environment wins over it', () => {
    const path = file('merge.json', {
      port: 7000,
      rateLimits: { routes: { 'background-remove': { requestsPerMinute: 5 } } },
      models: { 'local-edit': { engine: 'local-edit', priceUsd: 0.5 } },
    });
    const config = loadConfig({ env: { RETOUCH_CONFIG: path, RETOUCH_PORT: '7001' } });
    assert.equal(config.port, 7001, 'the environment wins over the file');
    assert.equal(config.rateLimits.routes['background-remove']?.requestsPerMinute, 5);
    assert.equal(config.rateLimits.default.requestsPerMinute, 60, "the file's partial block keeps the other defaults");
    assert.equal(priceMicros(config.models['local-edit']), 500_000);
    assert.ok(config.models['qwen-edit'], 'built-in models the file does not name are still there');
  });

  test('the result is frozen', () => {
    const config = loadConfig({ env: {} });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.models['local-edit']));
  });

  test('an unreadable or invalid file is one problem naming the file', () => {
    const missing = problemsOf(() => loadConfig({ env: { RETOUCH_CONFIG: join(dir, 'nope.json') } }));
    assert.equal(missing.length, 1);
    assert.match(missing[0], /RETOUCH_CONFIG \(.*nope\.json\)/);
    const broken = problemsOf(() => loadConfig({ env: { RETOUCH_CONFIG: file('broken.json', '{"port": ') } }));
    assert.match(broken[0], /broken\.json/);
  });
});

describe('every problem is reported at once', () => {
  test('from the file and the environment together, each with its path', () => {
    const path = file('bad.json', {
      rateLimits: { default: { requestsPerMinute: -3 } },
      models: { 'local-edit': { engine: 'local-edit', priceUsd: 'cheap' } },
    });
    const problems = problemsOf(() =>
      loadConfig({ env: { RETOUCH_CONFIG: path, RETOUCH_PORT: 'eighty', RETOUCH_LOG_LEVEL: 'chatty' } }),
    );
    const text = problems.join('\n');
    assert.ok(problems.length >= 4, text);
    assert.match(text, /^port: /m);
    assert.match(text, /^logLevel: /m);
    assert.match(text, /^rateLimits\.default\.requestsPerMinute: /m);
    assert.match(text, /^models\.local-edit\.priceUsd: /m);
  });
});
