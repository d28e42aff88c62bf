#!/usr/bin/env node
import './thread-pool.js';
import { UsageError, type CliIo } from './io.js';

type Command = (argv: string[], io: CliIo) => Promise<number>;

/**
 * Each command's module is imported only when that command runs: `serve` and `remove-bg` pull in the
 * whole app (onnxruntime, TensorFlow.js, sharp, the engines), which takes seconds to load and is not
 * needed by `--help` or the account commands.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  keys: async () => (await import('./accounts.js')).keysCommand,
  accounts: async () => (await import('./accounts.js')).accountsCommand,
  credits: async () => (await import('./accounts.js')).creditsCommand,
  usage: async () => (await import('./accounts.js')).usageCommand,
  'remove-bg': async () => (await import('./remove-bg.js')).removeBgCommand,
  verify: async () => (await import('./verify.js')).verifyCommand,
};

const HELP = `retouch: a self-hosted image editing API compatible with Venice's

usage: retouch <command> [options]

  serve                                 start the server (RETOUCH_HOST, RETOUCH_PORT, RETOUCH_CONFIG, ...)
  keys create [--type admin|inference] [--account ACCOUNT_ID] [--name N] [--credits USD]
              [--limit-usd USD] [--limit-period epoch|month|lifetime] [--expires DATE]
  keys list [--account ACCOUNT_ID]
  keys revoke KEY_ID
  accounts create [--name N] [--credits USD]
  accounts list
  credits add ACCOUNT_ID|KEY_ID USD
  credits show ACCOUNT_ID|KEY_ID
  usage [--key KEY_ID] [--account ACCOUNT_ID] [--since DATE] [--json]
  remove-bg INPUT... --out DIR [--only-mask] [--bg-color C] [--model NAME]
  verify FILE [--trust CA.pem] [--json]  print a picture's Content Credentials; exit 1 unless they hold
`;

async function main(argv: string[]): Promise<number> {
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr };
  const [name, ...rest] = argv;
  const load = name ? COMMANDS[name] : undefined;
  if (!load) {
    (name && name !== 'help' && name !== '--help' ? io.stderr : io.stdout).write(HELP);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (error) {
    // Loaded here, not at the top, so that `--help` loads no more than this file and io.js.
    const { ConfigError } = await import('../config/load.js');
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr.write(`retouch ${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`retouch ${name}: ${error.message}\n`);
      return 2;
    }
    // Anything else is still one clear line; the stack trace only when asked for (RETOUCH_DEBUG=1).
    const message = error instanceof Error ? error.message : String(error);
    // An operator needs the cause an API client is not told ("connect ECONNREFUSED 127.0.0.1:5432").
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message.split('\n')[0]})` : '';
    io.stderr.write(`retouch ${name}: ${message.split('\n')[0]}${cause}\n`);
    if (process.env.RETOUCH_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
