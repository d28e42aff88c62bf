import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { ENGINE_FACTORIES } from '../../src/engines/factories.js';

/** Every JSON config shown in the README and in docs/ is a valid config, engine options included. */
test('the config examples in the docs are valid configurations', () => {
  const pages = [
    'README.md',
    ...readdirSync('docs')
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  const blocks = pages.flatMap((file) =>
    [...readFileSync(resolve(file), 'utf8').matchAll(/```json\n([\s\S]*?)```/g)].map((m) => ({ file, text: m[1] })),
  );
  const configs = blocks.filter((b) => /^\{\s*"(port|models|inputs|rateLimits)"/.test(b.text.trim()));
  assert.ok(configs.length >= 3, 'the docs show config files');
  assert.ok(
    configs.some((c) => c.file === 'README.md'),
    'the README shows a config file',
  );
  for (const { file, text } of configs) {
    const config = loadConfig({ env: {}, overrides: JSON.parse(text) });
    for (const [id, model] of Object.entries(config.models)) {
      const factory = ENGINE_FACTORIES.find((f) => f.kind === model.engine);
      assert.ok(factory, `${file}: model ${id} names a known engine`);
      const options = factory.optionsSchema.safeParse(model.options);
      assert.ok(options.success, `${file}: options of ${id}: ${JSON.stringify(options.error?.issues)}`);
    }
  }
});
