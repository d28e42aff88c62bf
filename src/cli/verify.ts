import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { reportPasses, type VerifyReport, verifyCredentials } from '../provenance/verify.js';
import { UsageError, type CliIo } from './io.js';

const USAGE = 'usage: retouch verify FILE [--trust CA.pem] [--json]';

/**
 * `retouch verify FILE`: prints a picture's Content Credentials (who signed it, what was done, from what)
 * and whether its signature and hash binding hold. Exit code 0 when both hold (and, with `--trust`, the
 * signer chains to that anchor), 1 when they do not or the file carries none, 2 for a usage error.
 *
 * @example await verifyCommand(['out.png', '--trust', 'data/c2pa/c2pa-ca.pem'], io)
 */
export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { trust: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const file = positionals[0]!;
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  const trustAnchorsPem = values.trust ? await readFile(values.trust, 'utf8') : undefined;
  const report = await verifyCredentials(bytes, { ...(trustAnchorsPem ? { trustAnchorsPem } : {}) });
  const passes = reportPasses(report, trustAnchorsPem !== undefined);
  if (values.json) io.stdout.write(`${JSON.stringify({ file, passes, ...report }, null, 2)}\n`);
  else io.stdout.write(describe(file, report, passes, values.trust));
  return passes ? 0 : 1;
}

function describe(file: string, report: VerifyReport, passes: boolean, trustFile: string | undefined): string {
  if (!report.present) return `${file}: no Content Credentials${report.error ? ` (${report.error})` : ''}\nresult: INVALID\n`;
  const lines = [`${file}`];
  const manifest = report.manifest ?? {};
  const generator = (manifest.claim_generator_info as Array<{ name?: string; version?: string }> | undefined)?.[0];
  if (generator) lines.push(`  made by:       ${generator.name ?? '?'} ${generator.version ?? ''}`.trimEnd());
  const signature = manifest.signature_info as { common_name?: string; issuer?: string; alg?: string; time?: string } | undefined;
  if (signature) {
    lines.push(`  signed by:     ${signature.common_name ?? '?'} (issuer ${signature.issuer ?? '?'}, ${signature.alg ?? '?'})`);
    if (signature.time) lines.push(`  signed at:     ${signature.time}`);
  }
  for (const action of actionsOf(manifest)) {
    const agent = action.softwareAgent?.name ? ` [${action.softwareAgent.name}]` : '';
    const source = action.digitalSourceType ? ` {${action.digitalSourceType.split('/').pop()}}` : '';
    lines.push(`  action:        ${action.action}${agent}${source}${action.description ? `: ${action.description}` : ''}`);
  }
  for (const ingredient of (manifest.ingredients as Array<Record<string, unknown>> | undefined) ?? []) {
    const own = ingredient.active_manifest ? ', with its own Content Credentials' : '';
    lines.push(
      `  ingredient:    ${ingredient.title ?? '?'} (${ingredient.format ?? '?'}, ${ingredient.relationship ?? '?'}${own})`,
    );
  }
  lines.push(`signature:       ${report.signatureValid ? 'valid' : 'INVALID'}`);
  lines.push(`hash binding:    ${report.hashBindingValid ? 'valid' : 'INVALID (the file changed after signing)'}`);
  lines.push(
    `trust:           ${report.trusted ? `trusted (chains to ${trustFile})` : trustFile ? `UNTRUSTED (does not chain to ${trustFile})` : 'not checked (no --trust anchor given)'}`,
  );
  for (const failure of report.failures) {
    if (!trustFile && failure.code === 'signingCredential.untrusted') continue;
    lines.push(`  failure:       ${failure.code}${failure.explanation ? `: ${failure.explanation}` : ''}`);
  }
  if (report.error) lines.push(`  error:         ${report.error}`);
  lines.push(`result:          ${passes ? 'VALID' : 'INVALID'}`);
  return `${lines.join('\n')}\n`;
}

interface ActionView {
  action: string;
  description?: string;
  digitalSourceType?: string;
  softwareAgent?: { name?: string };
}

function actionsOf(manifest: Record<string, unknown>): ActionView[] {
  const assertions = (manifest.assertions as Array<{ label: string; data?: { actions?: ActionView[] } }> | undefined) ?? [];
  return assertions.filter((a) => a.label.startsWith('c2pa.actions')).flatMap((a) => a.data?.actions ?? []);
}
