import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The retouch CLI entry next to this test build: dist/src/cli/main.js when the suite runs compiled,
 * src/cli/main.ts (through tsx) when a test file is run directly with `node --import tsx`.
 */
export function cliCommand(): { command: string; args: string[] } {
  const compiled = !import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`../../src/cli/main.${compiled ? 'js' : 'ts'}`, import.meta.url));
  return { command: process.execPath, args: compiled ? [entry] : ['--import', 'tsx', entry] };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion with the given environment additions. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const { command, args: base } = cliCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...base, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
