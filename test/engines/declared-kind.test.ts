import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import type { EngineRequest } from '../../src/engines/engine.js';
import { UnavailableEngine } from '../../src/engines/engine-factory.js';
import { ENGINE_FACTORIES } from '../../src/engines/factories.js';
import { buildModelRegistry } from '../../src/engines/model-registry.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { NSFW_CLASSIFIER } from '../../src/resources/nsfw-classifier.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { testEngineContext } from '../helpers/engine-context.js';
import { ScriptedClassifier } from '../helpers/test-app.js';
import { loadPhoto } from '../imaging/photo-fixtures.js';
import { runEngineConformance } from './conformance.js';
import { INVERT_TRAITS, InvertEngine, invert, invertEngineFactory } from './invert-kind.js';
import { TEST_CREDENTIALS } from '../helpers/test-credentials.js';

/**
 * A kind that no generic file names, added as the architecture page says (a factory in the list), is
 * treated by what it declares: a kind that keeps the input's size and invents nothing is not shrunk to
 * 1K and not screened by the NSFW classifier; the same engine declared generative is. The kit's
 * conformance suite holds it to its declaration, and the default edit model follows declared operations.
 */

const photo: RawImage = await loadPhoto('rocket');
const editOf = (image: RawImage, signal: AbortSignal, operation: EngineRequest['operation'] = 'edit'): EngineRequest => ({
  operation,
  images: [image],
  prompt: 'invert it',
  options: {},
  signal,
});

runEngineConformance({
  factory: invertEngineFactory(),
  create: async () => ({ engine: invertEngineFactory().create({}, testEngineContext(), 'inverter') }),
  workDone: () => InvertEngine.inverted,
  unsupported: { operation: 'background-remove', request: (signal) => editOf(photo, signal, 'background-remove') },
  served: { request: (signal) => editOf(photo, signal), size: { width: photo.width, height: photo.height }, channels: [3] },
  slow: (signal) => editOf(photo, signal),
  skip: {
    'aborted while working': 'inverting takes milliseconds: there is no long phase to abort',
    'untouched outside the mask': 'the invert kind takes no mask',
  },
});

describe('a declared kind through the request path', () => {
  let app: FastifyInstance;
  let auth: { authorization: string };
  const classifier = new ScriptedClassifier();
  /** 1600 px on its longer side: larger than 1K, so a model answering at 1K would shrink it. */
  let big: RawImage;

  before(async () => {
    const { data, info } = await sharp(photo.data, { raw: photo }).resize(1600).raw().toBuffer({ resolveWithObject: true });
    big = { data, width: info.width, height: info.height, channels: 3 };
    const config = loadConfig({
      env: {},
      overrides: {
        logLevel: 'silent',
        dataDir: '/nonexistent-test-dir',
        provenance: TEST_CREDENTIALS,
        bootstrapKey: false,
        rateLimits: { enabled: false },
        models: {
          inverter: { engine: 'invert', priceUsd: 0.01 },
          'inverter-generative': { engine: 'invert-as-generative', priceUsd: 0.01 },
        },
      },
    });
    const store = new SqliteStore(':memory:');
    // The product's kinds, and the new one twice: as it is, and declared as a generative model.
    const generative = { ...INVERT_TRAITS, newContent: true, keepsInputSize: false };
    const factories = [...ENGINE_FACTORIES, invertEngineFactory(), invertEngineFactory('invert-as-generative', generative)];
    app = await buildApp(config, {
      store,
      engineFactories: factories,
      provideResources: (resources) => resources.provide(NSFW_CLASSIFIER, classifier),
    });
    const { key } = await createApiKey(store, { name: 'declared-kind', creditsUsd: '1' });
    auth = { authorization: `Bearer ${key}` };
  });
  after(() => app.close());

  const edit = async (model: string) => {
    const png = await sharp(big.data, { raw: big }).png().toBuffer();
    const payload = { model, image: png.toString('base64'), prompt: 'invert it', output_format: 'png' };
    const response = await app.inject({ method: 'POST', url: '/api/v1/image/edit', headers: auth, payload });
    assert.equal(response.statusCode, 200, response.body);
    return sharp(response.rawPayload).raw().toBuffer({ resolveWithObject: true });
  };

  test('keeps the size and invents nothing: answered at the input size, inverted, never classified', async () => {
    const before = classifier.seen;
    const { data, info } = await edit('inverter');
    assert.deepEqual([info.width, info.height], [1600, big.height], 'not shrunk to 1K');
    assert.deepEqual(data, invert(big).data, 'every pixel inverted');
    assert.equal(classifier.seen, before, 'no NSFW classifier for a kind that invents nothing');
  });

  test('the same engine declared generative: fitted to 1K and screened by the classifier', async () => {
    const before = classifier.seen;
    const { info } = await edit('inverter-generative');
    assert.equal(Math.max(info.width, info.height), 1024);
    assert.equal(classifier.seen, before + 1, 'safe mode screened the output');
  });

  test('GET /models tells what each declaration means', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/models', headers: auth });
    const spec = (id: string) => response.json().data.find((m: { id: string }) => m.id === id).model_spec;
    const kept = spec('inverter');
    assert.deepEqual(kept.constraints.resolutions, ['1K', '2K', '4K']);
    assert.equal(kept.constraints.defaultResolution, 'input');
    assert.equal(kept.capabilities.safeMode, 'no-new-content');
    const generated = spec('inverter-generative');
    assert.deepEqual([generated.constraints.defaultResolution, generated.capabilities.safeMode], ['1K', 'classifier']);
  });
});

describe('the default edit model follows declared operations', () => {
  const context = testEngineContext();
  const asleep = {
    ...invertEngineFactory('asleep', { ...INVERT_TRAITS, runs: 'remote' }),
    create: () => new UnavailableEngine('asleep', 'no endpoint configured'),
  };
  const cutter = invertEngineFactory('cutter', { ...INVERT_TRAITS, operations: ['background-remove'] });
  const factories = [invertEngineFactory(), asleep, cutter];
  const registryOf = (models: Record<string, { engine: string }>, defaultEditModel: string | null = null) =>
    buildModelRegistry(
      configSchema.parse({
        defaultEditModel,
        models: Object.fromEntries(Object.entries(models).map(([id, m]) => [id, { ...m, priceUsd: 0.01 }])),
      }),
      context,
      factories,
    );

  test('the first configured model online whose kind serves edits, else the first that serves them', () => {
    const models = { cut: { engine: 'cutter' }, sleeping: { engine: 'asleep' }, inverter: { engine: 'invert' } };
    assert.equal(registryOf(models).defaultEditModel(), 'inverter');
    assert.equal(registryOf({ cut: models.cut, sleeping: models.sleeping }).defaultEditModel(), 'sleeping');
    assert.equal(registryOf(models, 'sleeping').defaultEditModel(), 'sleeping', "the config's choice first");
  });

  test('the built-in models choose as before: local-edit while the generative backends are down', async () => {
    const registry = buildModelRegistry(loadConfig({ env: {}, overrides: { logLevel: 'silent' } }), context, ENGINE_FACTORIES);
    assert.equal(registry.defaultEditModel(), 'local-edit');
    await registry.close();
  });
});
