import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { type BuildAppOptions, buildApp } from '../../src/app.js';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { loadConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { Engine, EngineRequest, EngineResult, ExtraWork } from '../../src/engines/engine.js';
import type { EngineFactory } from '../../src/engines/engine-factory.js';
import type { KindTraits } from '../../src/engines/kind-traits.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { NSFW_CLASSIFIER, isFlagged, type NsfwClassifier } from '../../src/resources/nsfw-classifier.js';
import { z } from 'zod';
import { TEST_CREDENTIALS } from './test-credentials.js';

/**
 * A test double of an engine, for gateway tests only (never registered by the product): it returns the
 * base image re-encoded, and can be told to fail, to be slow, or to count its runs. Gateway behaviour
 * (billing, queues, errors) does not depend on what the pixels are.
 */
export class ScriptedEngine implements Engine {
  readonly kind = 'scripted';
  runs = 0;
  active = 0;
  /** Decides per run (1-based index) whether it throws. */
  failWhen: (run: number) => boolean = () => false;
  delayMs = 0;
  online = true;
  /** Offline for good (no backend configured) rather than for a while. */
  unserved = false;
  /** Per prompt: work another model's terms govern (see Engine.extraWork), and a delay of its own. */
  extraWorkFor: (prompt: string) => ExtraWork | null = () => null;
  delayMsFor: (prompt: string) => number = () => this.delayMs;

  extraWork(request: { prompt: string }): ExtraWork | null {
    return this.extraWorkFor(request.prompt);
  }

  status() {
    if (this.unserved) return { online: false, reason: 'no backend configured', unserved: true } as const;
    return this.online ? ({ online: true } as const) : ({ online: false, reason: 'switched off by the test' } as const);
  }

  /** The last request's options, as the engine received them. */
  lastOptions: EngineRequest['options'] | undefined;

  async run(request: EngineRequest): Promise<EngineResult> {
    const index = ++this.runs;
    this.lastOptions = request.options;
    this.active++;
    try {
      const delay = this.delayMsFor(request.prompt);
      // Half way, as far as a client polling its progress can tell.
      request.progress?.(1, 2);
      if (delay > 0) await abortableDelay(delay, request.signal);
      request.progress?.(2, 2);
      if (this.failWhen(index)) throw new Error('scripted engine failure with /secret/internal/path');
      const base = request.images[0];
      return { kind: 'raw', image: base };
    } finally {
      this.active--;
    }
  }

  async close() {}
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Stands in for the NSFW classifier in gateway tests (the real one has its own model test): it flags
 * every picture while `flag` is set, and counts what it saw, so tests can tell that safe mode ran.
 */
export class ScriptedClassifier implements NsfwClassifier {
  flag = false;
  seen = 0;
  async classify() {
    this.seen++;
    return { Drawing: 0, Hentai: 0, Neutral: this.flag ? 0 : 1, Porn: this.flag ? 1 : 0, Sexy: 0 };
  }
  async isExplicit(_image: RawImage) {
    return isFlagged(await this.classify());
  }
  async close() {}
}

export interface TestApp {
  app: FastifyInstance;
  engine: ScriptedEngine;
  classifier: ScriptedClassifier;
  key: string;
  keyId: string;
  /** The key's own account, which holds its credits. */
  accountId: string;
  store: SqliteStore;
  auth: { authorization: string };
}

/**
 * The scripted kind's traits: treated as a generative model (1K by default, safe mode by the classifier),
 * so gateway tests exercise the finishing step's fitting and screening.
 */
export const SCRIPTED_TRAITS: KindTraits = {
  runs: 'local',
  operations: ['edit', 'multi-edit', 'background-remove', 'upscale'],
  newContent: true,
  keepsInputSize: false,
  upstreamFields: [],
};

/**
 * An app whose edit models (`test-edit`, priced $0.01, and the built-in names) and background removal run on
 * one ScriptedEngine, on an in-memory database, with a key holding `creditsUsd`.
 */
export async function createTestApp(
  options: { creditsUsd?: string; config?: ConfigInput; logger?: BuildAppOptions['logger'] } = {},
): Promise<TestApp> {
  const engine = new ScriptedEngine();
  const factory: EngineFactory<unknown> = {
    kind: 'scripted',
    traits: SCRIPTED_TRAITS,
    optionsSchema: z.unknown(),
    create: () => engine,
  };
  const config = loadConfig({
    env: {},
    overrides: {
      logLevel: 'silent',
      dataDir: '/nonexistent-test-dir',
      provenance: TEST_CREDENTIALS,
      defaultEditModel: 'test-edit',
      backgroundRemovalModel: 'test-bg',
      ...options.config,
      models: {
        'firered-image-edit': { engine: 'scripted', priceUsd: 0.04 },
        'qwen-edit': { engine: 'scripted', priceUsd: 0.04 },
        'local-edit': { engine: 'scripted', priceUsd: 0.01 },
        'bg-remove': { engine: 'scripted', priceUsd: 0.02, type: 'background-removal' },
        'test-edit': { engine: 'scripted', priceUsd: 0.01, aspectRatios: ['auto', '1:1'] },
        'test-bg': { engine: 'scripted', priceUsd: 0.02, type: 'background-removal' },
        upscaler: { engine: 'scripted', priceUsd: 0.02, type: 'upscale' },
        ...(options.config?.models ?? {}),
      },
    },
  });
  const store = new SqliteStore(':memory:');
  const classifier = new ScriptedClassifier();
  const app = await buildApp(config, {
    ...(options.logger ? { logger: options.logger } : {}),
    store,
    engineFactories: [factory],
    provideResources: (resources) => resources.provide(NSFW_CLASSIFIER, classifier),
  });
  const { key, record } = await createApiKey(store, { name: 'test', creditsUsd: options.creditsUsd ?? '10' });
  return {
    app,
    engine,
    classifier,
    key,
    keyId: record.id,
    accountId: record.accountId,
    store,
    auth: { authorization: `Bearer ${key}` },
  };
}

/** A small real photo-like PNG (a gradient with noise) of the given size, as bytes. */
export async function samplePng(width = 320, height = 240): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = (x * y) % 256;
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Builds a multipart body by hand (fields and files), as curl -F would send it. */
export function multipartBody(parts: Array<{ name: string; value: string | Buffer; filename?: string }>) {
  const boundary = `----retouchtest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.filename
      ? `form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: application/octet-stream`
      : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
