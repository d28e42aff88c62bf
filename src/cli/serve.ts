import { buildApp } from '../app.js';
import { createApiKey } from '../accounts/api-keys.js';
import { loadConfig } from '../config/load.js';
import type { CliIo } from './io.js';

/**
 * `retouch serve`: starts the server on the configured host and port. On the very first start (no key in
 * the database) it creates one, with the bootstrap credits, and prints it once.
 */
export async function serveCommand(_argv: string[], io: CliIo): Promise<number> {
  const config = loadConfig();
  const app = await buildApp(config);
  const { store } = app.services;
  if (config.bootstrapKey && (await store.countKeys()) === 0) {
    const { record, key } = await createApiKey(store, { name: 'bootstrap', creditsUsd: config.bootstrapCreditsUsd });
    io.stdout.write(
      `\nCreated a first API key (${record.id}) with $${config.bootstrapCreditsUsd} of credits.\n` +
        `It is shown only this once; keep it:\n\n  ${key}\n\n`,
    );
  }
  const address = await app.listen({ host: config.host, port: config.port });
  io.stdout.write(`retouch listening on ${address}\n`);
  // Load models in the background so the first request does not pay for it.
  app.services.warmUp().catch((error: unknown) => app.log.warn({ err: error }, 'model warm-up failed'));
  await new Promise<void>((resolve) => {
    const stop = async (signal: string) => {
      app.log.info({ signal }, 'shutting down');
      await app.close();
      resolve();
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
  return 0;
}
