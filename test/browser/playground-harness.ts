import type { FastifyInstance } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { SqliteStore } from '../../src/storage/sqlite-store.js';
import { FakeComfyUi } from '../engines/comfyui/comfyui-fake-server.js';

/**
 * What the playground's browser tests run against: the real app (local-edit, ISNet background removal)
 * on a temporary data directory with a funded key, `qwen-edit` routed to the ComfyUI protocol test
 * server with slow sampler steps (a genuinely slow remote request to cancel), and Debian's Chromium
 * driven by playwright-core with a fresh profile.
 */
export interface Harness {
  app: FastifyInstance;
  url: string;
  key: string;
  keyId: string;
  accountId: string;
  store: SqliteStore;
  comfy: FakeComfyUi;
  context: BrowserContext;
  /** Every URL the browser asked for, to prove it never left this server. */
  requested: string[];
  /** Console messages about Content-Security-Policy violations (there must be none). */
  cspViolations: string[];
  artefacts: string;
  close(): Promise<void>;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTEFACTS = resolve('test-artefacts/playground');

export async function startHarness(): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'retouch-playground-'));
  const profile = mkdtempSync(join(tmpdir(), 'retouch-chromium-'));
  mkdirSync(ARTEFACTS, { recursive: true });
  // 20 sampler steps of 400 ms: an edit that takes 8 s, long enough to cancel in the middle.
  const comfy = await FakeComfyUi.start({ stepDelayMs: 400 });
  const store = new SqliteStore(join(dataDir, 'retouch.db'));
  const config = loadConfig({
    env: {},
    overrides: {
      logLevel: 'silent',
      dataDir,
      bootstrapKey: false,
      models: {
        'qwen-edit': {
          engine: 'comfyui',
          priceUsd: 0.04,
          options: { endpoints: [{ url: comfy.url }], healthCheckIntervalMs: 100, retryBaseDelayMs: 5 },
        },
        // Configured without a backend: listed offline with the reason, never run.
        'studio-edit': { engine: 'openai', priceUsd: 0.05, options: { model: 'Qwen/Qwen-Image-Edit-2509' } },
      },
    },
  });
  const app = await buildApp(config, { store });
  const { key, record } = await createApiKey(store, { name: 'browser', creditsUsd: '5' });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  const requested: string[] = [];
  context.on('request', (r) => requested.push(r.url()));
  const cspViolations: string[] = [];
  context.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return {
    app,
    url,
    key,
    keyId: record.id,
    accountId: record.accountId,
    store,
    comfy,
    context,
    requested,
    cspViolations,
    artefacts: ARTEFACTS,
    async close() {
      await context.close();
      await app.close();
      await comfy.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits for the status line to reach `state` (done, error, cancelled) and returns its text. */
export async function outcome(page: Page, state: string, timeout = 60_000): Promise<string> {
  await page.locator('#status:is([data-state="done"], [data-state="error"], [data-state="cancelled"])').waitFor({ timeout });
  const text = (await page.locator('#status').textContent()) ?? '';
  const reached = await page.locator('#status').getAttribute('data-state');
  if (reached !== state) throw new Error(`expected the request to end "${state}", it ended "${reached}": ${text}`);
  return text;
}

/**
 * A reverse proxy that serves the app under `/retouch/`, as a site would put it behind a path prefix:
 * `/retouch/x` goes to the app's `/x`, anything else is a 404.
 */
export async function startPrefixProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (!req.url?.startsWith('/retouch/')) {
      res.writeHead(404).end('outside the prefix');
      return;
    }
    const upstream = httpRequest(
      `${target}${req.url.slice('/retouch'.length)}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/retouch/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
