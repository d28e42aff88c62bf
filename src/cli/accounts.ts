import { parseArgs } from 'node:util';
import { createApiKey } from '../accounts/api-keys.js';
import { formatUsd, parseUsd } from '../accounts/money.js';
import { loadConfig } from '../config/load.js';
import { openStore } from '../storage/open-store.js';
import type { Store } from '../storage/store.js';
import { table, UsageError, type CliIo } from './io.js';

/**
 * Opens the configured database for one command and closes it afterwards. It never drops a running
 * server's reservations; it only ends those whose lease ran out (their server died), so that what it
 * shows is true.
 */
async function withStore<T>(run: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = openStore(config);
  try {
    await store.expireReservations();
    return await run(store);
  } finally {
    await store.close();
  }
}

async function requireKey(store: Store, id: string | undefined) {
  if (!id) throw new UsageError('missing KEY_ID');
  const key = await store.getKey(id);
  if (!key) throw new UsageError(`no key with id ${id}`);
  return key;
}

/** Money as every command prints it: `$0.04`, `$35`. */
function usd(micros: number): string {
  return micros < 0 ? `-$${formatUsd(-micros)}` : `$${formatUsd(micros)}`;
}

/** A USD amount typed on the command line, or a usage error that says what was expected. */
function usdArgument(text: string): number {
  try {
    return parseUsd(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `retouch keys create [--name N] [--credits USD] | list | revoke ID` */
export async function keysCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, credits: { type: 'string' } },
  });
  const [action, id] = positionals;
  return withStore(async (store) => {
    if (action === 'create') {
      const credits = values.credits === undefined ? 0 : usdArgument(values.credits);
      const { record, key } = await createApiKey(store, { name: values.name, creditsUsd: formatUsd(credits) });
      io.stdout.write(`Created key ${record.id} (${record.name}) with ${usd(credits)} of credits.\n`);
      io.stdout.write(`The key is shown only this once:\n${key}\n`);
      return 0;
    }
    if (action === 'list') {
      const keys = await store.listKeys();
      const rows = await Promise.all(
        keys.map(async (k) => {
          const balance = await store.getBalance(k.id);
          return [
            k.id,
            k.name,
            `${k.displayPrefix}…`,
            usd(balance.balanceMicros),
            k.createdAt,
            k.revokedAt ? 'revoked' : 'active',
          ];
        }),
      );
      io.stdout.write(table(['ID', 'NAME', 'KEY', 'BALANCE', 'CREATED', 'STATUS'], rows));
      return 0;
    }
    if (action === 'revoke') {
      await requireKey(store, id);
      await store.revokeKey(id);
      io.stdout.write(`Revoked ${id}\n`);
      return 0;
    }
    throw new UsageError('usage: retouch keys create [--name N] [--credits USD] | list | revoke KEY_ID');
  });
}

/** `retouch credits add KEY_ID USD | show KEY_ID` */
export async function creditsCommand(argv: string[], io: CliIo): Promise<number> {
  const [action, id, amount] = argv;
  return withStore(async (store) => {
    if (action === 'add') {
      await requireKey(store, id);
      if (!amount) throw new UsageError('missing USD amount');
      const micros = usdArgument(amount);
      const balance = await store.addCredits(id, micros, 'added with the CLI');
      io.stdout.write(`Added ${usd(micros)} to ${id}; balance ${usd(balance.balanceMicros)}\n`);
      return 0;
    }
    if (action === 'show') {
      await requireKey(store, id);
      const balance = await store.getBalance(id);
      const totals = await store.ledgerTotals(id);
      io.stdout.write(
        table(
          ['KEY', 'BALANCE', 'RESERVED', 'CREDITS ADDED', 'CHARGED'],
          [[id, usd(balance.balanceMicros), usd(balance.reservedMicros), usd(totals.creditsMicros), usd(totals.chargesMicros)]],
        ),
      );
      return 0;
    }
    throw new UsageError('usage: retouch credits add KEY_ID USD | show KEY_ID');
  });
}

/** `retouch usage [--key KEY_ID] [--since DATE] [--json]` */
export async function usageCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { key: { type: 'string' }, since: { type: 'string' }, json: { type: 'boolean' }, limit: { type: 'string' } },
  });
  const since = values.since ? new Date(values.since) : undefined;
  if (since && Number.isNaN(since.getTime())) throw new UsageError(`--since: not a date: ${values.since}`);
  return withStore(async (store) => {
    const rows = await store.listUsage({ keyId: values.key, since, limit: values.limit ? Number(values.limit) : 1000 });
    if (values.json) {
      io.stdout.write(
        `${JSON.stringify(
          rows.map((r) => ({ ...r, chargedUsd: formatUsd(r.chargedMicros) })),
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    io.stdout.write(
      table(
        ['TIME', 'KEY', 'ROUTE', 'MODEL', 'STATUS', 'CHARGED', 'MS', 'IN PX', 'OUT PX', 'REQUEST'],
        rows.map((r) => [
          r.createdAt,
          r.keyId,
          r.route,
          r.model,
          String(r.status),
          usd(r.chargedMicros),
          String(r.durationMs),
          String(r.inputPixels),
          String(r.outputPixels),
          r.requestId,
        ]),
      ),
    );
    return 0;
  });
}
