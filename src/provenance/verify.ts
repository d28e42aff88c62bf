import { sniffFormat } from '../inputs/sniff-format.js';
import type { WasmReader } from '@contentauth/c2pa-wasm';
import { C2PA_FORMATS, c2pa } from './c2pa-runtime.js';

/**
 * Reading a file's Content Credentials back and judging them: what `retouch verify` prints and what the
 * tests check. Three questions, answered apart because they mean different things:
 * - signature: the claim was signed by the key of the certificate it carries, and is unchanged;
 * - hash binding: every byte of the picture outside the manifest is the one that was signed;
 * - trust: the certificate chains to an anchor the verifier was given (none by default: a self-made
 *   certificate proves integrity, not identity).
 */

export interface StatusEntry {
  code: string;
  explanation?: string;
}

export interface VerifyReport {
  /** Whether the file carries a C2PA manifest at all. */
  present: boolean;
  signatureValid: boolean;
  hashBindingValid: boolean;
  trusted: boolean;
  /** The library's overall verdict: Invalid, Valid or Trusted. */
  state: string;
  /** Every failure code of the active manifest, untrusted signer included. */
  failures: StatusEntry[];
  /** The active manifest as the library reports it (claim generator, actions, ingredients, signature info). */
  manifest?: Record<string, unknown>;
  /** Why the manifest could not be read, when it could not. */
  error?: string;
}

const SIGNATURE_CODES =
  /^(claimSignature|signingCredential\.(invalid|revoked|expired|ocsp\.revoked)|claim\.|timeStamp\.mismatch)/;
const HASH_FAILURES = /^assertion\.(dataHash|boxHash|bmffHash|collectionHash)\.mismatch|^assertion\.hashedURI\.mismatch/;
const HASH_MATCHES = /^assertion\.(dataHash|boxHash|bmffHash|collectionHash)\.match$/;

/**
 * @example const report = await verifyCredentials(readFileSync('out.png'), { trustAnchorsPem: readFileSync('data/c2pa/c2pa-ca.pem', 'utf8') });
 */
export async function verifyCredentials(bytes: Buffer, options: { trustAnchorsPem?: string } = {}): Promise<VerifyReport> {
  const absent: VerifyReport = {
    present: false,
    signatureValid: false,
    hashBindingValid: false,
    trusted: false,
    state: 'absent',
    failures: [],
  };
  const sniffed = sniffFormat(bytes);
  const mime =
    sniffed.kind === 'raster' && sniffed.format in C2PA_FORMATS
      ? C2PA_FORMATS[sniffed.format as keyof typeof C2PA_FORMATS]
      : null;
  if (!mime) return { ...absent, error: 'not a PNG, JPEG or WebP file' };
  const library = c2pa();
  const settings = options.trustAnchorsPem ? JSON.stringify({ trust: { user_anchors: options.trustAnchorsPem } }) : undefined;
  let reader: WasmReader;
  try {
    reader = await library.WasmReader.fromBytes(mime, bytes, settings);
  } catch (error) {
    const message = String(error);
    // No manifest is an answer, not a failure of the reader; a damaged one is reported as invalid.
    if (/JumbfNotFound|ManifestNotFound|no JUMBF/i.test(message)) return absent;
    return { ...absent, present: true, state: 'Invalid', error: message.slice(0, 500) };
  }
  try {
    const store = reader.manifestStore() as Record<string, unknown>;
    const results = (store.validation_results ?? {}) as { activeManifest?: { success?: StatusEntry[]; failure?: StatusEntry[] } };
    const success = results.activeManifest?.success ?? [];
    const failures = (results.activeManifest?.failure ?? []).map(({ code, explanation }) => ({
      code,
      ...(explanation ? { explanation } : {}),
    }));
    const active = (store.manifests as Record<string, Record<string, unknown>> | undefined)?.[String(store.active_manifest)];
    return {
      present: true,
      signatureValid:
        success.some((s) => s.code === 'claimSignature.validated') && !failures.some((f) => SIGNATURE_CODES.test(f.code)),
      hashBindingValid: success.some((s) => HASH_MATCHES.test(s.code)) && !failures.some((f) => HASH_FAILURES.test(f.code)),
      trusted: success.some((s) => s.code === 'signingCredential.trusted'),
      state: String(store.validation_state ?? 'Invalid'),
      failures,
      ...(active ? { manifest: active } : {}),
    };
  } finally {
    reader.free();
  }
}

/** Whether a report passes: signature and hash binding hold, and nothing else failed but (without anchors) trust. */
export function reportPasses(report: VerifyReport, requireTrust: boolean): boolean {
  if (!report.present || !report.signatureValid || !report.hashBindingValid) return false;
  const others = report.failures.filter((f) => requireTrust || f.code !== 'signingCredential.untrusted');
  return others.length === 0 && (!requireTrust || report.trusted);
}
