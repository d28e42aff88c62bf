import { parseArgs } from 'node:util';
import { createAccount, createApiKey } from '../accounts/api-keys.js';
import { formatUsd, parseUsd } from '../accounts/money.js';
import { loadConfig } from '../config/load.js';
import { openStore } from '../storage/open-store.js';
import { KEY_TYPES, LIMIT_PERIODS, type KeyType, type LimitPeriod, type Store } from '../storage/store.js';
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

/** An account named by its id, or by the id of one of its keys (as before accounts, when keys held money). */
async function requireAccount(store: Store, id: string | undefined): Promise<string> {
  if (!id) throw new UsageError('missing ACCOUNT_ID (or KEY_ID)');
  const account = await store.getAccount(id);
  if (account) return account.id;
  const key = await store.getKey(id);
  if (key) return key.accountId;
  throw new UsageError(id.startsWith('acct_') ? `no account with id ${id}` : `no key with id ${id}`);
}

function choice<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  const upper = value.toUpperCase() as T;
  if (!allowed.includes(upper)) throw new UsageError(`--${name}: expected one of ${allowed.join(', ').toLowerCase()}`);
  return upper;
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

/** `retouch keys create [--type admin|inference] [--account ID] [--name N] [--credits USD] [--limit-usd USD] ... | list | revoke ID` */
export async function keysCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      credits: { type: 'string' },
      type: { type: 'string' },
      account: { type: 'string' },
      'limit-usd': { type: 'string' },
      'limit-period': { type: 'string' },
      expires: { type: 'string' },
    },
  });
  const [action, id] = positionals;
  return withStore(async (store) => {
    if (action === 'create') {
      const type: KeyType = choice('type', values.type, KEY_TYPES, 'INFERENCE');
      const period: LimitPeriod = choice('limit-period', values['limit-period'], LIMIT_PERIODS, 'EPOCH');
      const credits = values.credits === undefined ? 0 : usdArgument(values.credits);
      const expires = values.expires ? new Date(values.expires) : null;
      if (expires && Number.isNaN(expires.getTime())) throw new UsageError(`--expires: not a date: ${values.expires}`);
      const accountId = values.account ? await requireAccount(store, values.account) : undefined;
      const { record, key } = await createApiKey(store, {
        name: values.name,
        type,
        accountId,
        creditsUsd: accountId ? undefined : formatUsd(credits),
        expiresAt: expires?.toISOString() ?? null,
        limits: {
          usdMicros: values['limit-usd'] === undefined ? null : usdArgument(values['limit-usd']),
          diem: null,
          period,
        },
      });
      if (accountId && credits > 0) await store.addCredits(accountId, credits, 'added with the CLI');
      const balance = await store.getBalance(record.accountId);
      io.stdout.write(
        accountId
          ? `Created key ${record.id} (${record.name}, ${type}) in account ${accountId}, which holds ${usd(balance.balanceMicros)}.\n`
          : `Created key ${record.id} (${record.name}, ${type}) in a new account ${record.accountId} with ${usd(credits)} of credits.\n`,
      );
      io.stdout.write(`The key is shown only this once:\n${key}\n`);
      return 0;
    }
    if (action === 'list') {
      const keys = await store.listKeys(values.account ? await requireAccount(store, values.account) : undefined);
      const rows = await Promise.all(
        keys.map(async (k) => {
          const balance = await store.getBalance(k.accountId);
          const expired = k.expiresAt && Date.parse(k.expiresAt) <= Date.now();
          return [
            k.id,
            k.name,
            `${k.displayPrefix}…`,
            usd(balance.balanceMicros),
            k.type,
            k.accountId,
            k.limits.usdMicros === null ? '-' : `${usd(k.limits.usdMicros)}/${k.limits.period}`,
            k.createdAt,
            k.revokedAt ? 'revoked' : expired ? 'expired' : 'active',
          ];
        }),
      );
      io.stdout.write(table(['ID', 'NAME', 'KEY', 'BALANCE', 'TYPE', 'ACCOUNT', 'LIMIT', 'CREATED', 'STATUS'], rows));
      return 0;
    }
    if (action === 'revoke') {
      await requireKey(store, id);
      await store.revokeKey(id, 'cli');
      io.stdout.write(`Revoked ${id}\n`);
      return 0;
    }
    throw new UsageError(
      'usage: retouch keys create [--type admin|inference] [--account ID] [--name N] [--credits USD] [--limit-usd USD] [--limit-period epoch|month|lifetime] [--expires DATE] | list [--account ID] | revoke KEY_ID',
    );
  });
}

/** `retouch accounts create [--name N] [--credits USD] | list` */
export async function accountsCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, credits: { type: 'string' } },
  });
  return withStore(async (store) => {
    if (positionals[0] === 'create') {
      const credits = values.credits === undefined ? 0 : usdArgument(values.credits);
      const account = await createAccount(store, { name: values.name, creditsUsd: formatUsd(credits) });
      io.stdout.write(`Created account ${account.id} (${account.name}) with ${usd(credits)} of credits.\n`);
      return 0;
    }
    if (positionals[0] === 'list') {
      const accounts = await store.listAccounts();
      const rows = await Promise.all(
        accounts.map(async (a) => {
          const [balance, keys] = await Promise.all([store.getBalance(a.id), store.listKeys(a.id)]);
          return [a.id, a.name, usd(balance.balanceMicros), usd(balance.reservedMicros), String(keys.length), a.createdAt];
        }),
      );
      io.stdout.write(table(['ID', 'NAME', 'BALANCE', 'RESERVED', 'KEYS', 'CREATED'], rows));
      return 0;
    }
    throw new UsageError('usage: retouch accounts create [--name N] [--credits USD] | list');
  });
}

/** `retouch credits add ACCOUNT_ID|KEY_ID USD | show ACCOUNT_ID|KEY_ID` (a key stands for its account) */
export async function creditsCommand(argv: string[], io: CliIo): Promise<number> {
  const [action, id, amount] = argv;
  return withStore(async (store) => {
    if (action === 'add') {
      const accountId = await requireAccount(store, id);
      if (!amount) throw new UsageError('missing USD amount');
      const micros = usdArgument(amount);
      const balance = await store.addCredits(accountId, micros, 'added with the CLI', 'cli');
      io.stdout.write(`Added ${usd(micros)} to ${accountId}; balance ${usd(balance.balanceMicros)}\n`);
      return 0;
    }
    if (action === 'show') {
      const accountId = await requireAccount(store, id);
      const balance = await store.getBalance(accountId);
      const totals = await store.ledgerTotals(accountId);
      io.stdout.write(
        table(
          ['ID', 'BALANCE', 'RESERVED', 'CREDITS ADDED', 'CHARGED', 'ACCOUNT'],
          [
            [
              id,
              usd(balance.balanceMicros),
              usd(balance.reservedMicros),
              usd(totals.creditsMicros),
              usd(totals.chargesMicros),
              accountId,
            ],
          ],
        ),
      );
      return 0;
    }
    throw new UsageError('usage: retouch credits add ACCOUNT_ID|KEY_ID USD | show ACCOUNT_ID|KEY_ID');
  });
}

/** `retouch usage [--key KEY_ID] [--account ACCOUNT_ID] [--since DATE] [--json]` */
export async function usageCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      key: { type: 'string' },
      account: { type: 'string' },
      since: { type: 'string' },
      json: { type: 'boolean' },
      limit: { type: 'string' },
    },
  });
  const since = values.since ? new Date(values.since) : undefined;
  if (since && Number.isNaN(since.getTime())) throw new UsageError(`--since: not a date: ${values.since}`);
  return withStore(async (store) => {
    const rows = await store.listUsage({
      keyId: values.key,
      accountId: values.account,
      since,
      limit: values.limit ? Number(values.limit) : 1000,
    });
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
