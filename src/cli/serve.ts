import { buildApp } from '../app.js';
import { createApiKey } from '../accounts/api-keys.js';
import { loadConfig } from '../config/load.js';
import type { CliIo } from './io.js';
import { inferenceUnderWay } from '../resources/onnx/inference-pool.js';
import { untilShutdown } from './shutdown.js';

/**
 * `retouch serve`: starts the server on the configured host and port. On the very first start (no key in
 * the database) it creates an ADMIN key in a new account with the bootstrap credits, and prints it once.
 */
export async function serveCommand(_argv: string[], io: CliIo): Promise<number> {
  const config = loadConfig();
  const app = await buildApp(config);
  const { store } = app.services;
  if (config.bootstrapKey && (await store.countKeys()) === 0) {
    // An ADMIN key, so a newcomer can create INFERENCE keys for apps over HTTP (POST /api/v1/api_keys) at once.
    const { record, key } = await createApiKey(store, {
      name: 'bootstrap',
      type: 'ADMIN',
      creditsUsd: config.bootstrapCreditsUsd,
    });
    io.stdout.write(
      `\nCreated a first API key (${record.id}, ADMIN, in account ${record.accountId}) with $${config.bootstrapCreditsUsd} of credits.\n` +
        `It is shown only this once; keep it:\n\n  ${key}\n\n`,
    );
  }
  // Content Credentials: the signing certificate is loaded (or made, on first start) before any request,
  // so a wrong key or an expired certificate stops the start with its reason.
  await app.services.provenance.ready().catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  const address = await app.listen({ host: config.host, port: config.port });
  // The C2PA library is compiled in the background: the first answer would otherwise pay about 0.5 s.
  app.services.provenance.warmUp().catch((error: unknown) => app.log.warn({ err: error }, 'content credentials warm-up failed'));
  io.stdout.write(`retouch listening on ${address}\n`);
  if (config.workers.warmUpSegmentation) {
    // Load models in the background so the first request does not pay for it.
    app.services.warmUp().catch((error: unknown) => app.log.warn({ err: error }, 'model warm-up failed'));
  }
  // The imaging pool is now the app's own resource: app.close() (inside untilShutdown) closes it.
  await untilShutdown(app, { graceMs: 2_000, hardLimitMs: 5_000, uninterruptible: inferenceUnderWay });
  // A libvips operation still running (it cannot be interrupted) must not keep the process alive.
  setTimeout(() => process.exit(process.exitCode ?? 0), 100).unref();
  return 0;
}
