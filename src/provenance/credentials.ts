import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { reserveSizeFor, type CoseSigner, type SigningAlgorithm } from './cose-sign1.js';

/**
 * Where the operator's signing certificate and key come from: the configured files, or, when none are
 * configured, files in the data directory made on first start (as the first API key is), so that every
 * server signs from its first answer. Checked once at start: a key that does not match its certificate,
 * an expired certificate or an algorithm C2PA does not allow stops the server with the reason.
 */
export interface CredentialPaths {
  /** PEM file: the signing certificate first, then any intermediates (not the root). */
  certificate: string;
  /** PEM file: the private key of the signing certificate. */
  privateKey: string;
}

export interface LoadedCredentials extends CoseSigner {
  /** The signing certificate, for the log and `retouch verify`. */
  subject: string;
  notAfter: Date;
  /** Whether these are the self-made default credentials (integrity, not identity). */
  generated: boolean;
}

/** The default files under the data directory; `c2pa-ca.pem` is the anchor to verify against. */
export function defaultCredentialPaths(dataDir: string): CredentialPaths & { ca: string } {
  const dir = join(dataDir, 'c2pa');
  return { certificate: join(dir, 'signer-chain.pem'), privateKey: join(dir, 'signer-key.pem'), ca: join(dir, 'c2pa-ca.pem') };
}

/**
 * The default credentials, made if missing. Two processes starting on one data directory may both make a
 * set: each writes its three files into a folder of its own and renames the folder into place, which only
 * one can do; the other drops its set and loads the winner's, so both sign with the same key.
 */
export async function ensureDefaultCredentials(dataDir: string, organization: string): Promise<LoadedCredentials> {
  const paths = defaultCredentialPaths(dataDir);
  const existing = await loadCredentials(paths).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing) return { ...existing, generated: true };
  // Loaded only here: the certificate library is needed once per data directory.
  const { generateCredentials } = await import('./self-signed.js');
  const made = await generateCredentials(organization);
  const dir = dirname(paths.certificate);
  await mkdir(dirname(dir), { recursive: true });
  const staging = await mkdtemp(`${dir}.tmp-`);
  await writeFile(join(staging, basename(paths.privateKey)), made.keyPem, { mode: 0o600 });
  await writeFile(join(staging, basename(paths.certificate)), made.chainPem);
  await writeFile(join(staging, basename(paths.ca)), made.caPem);
  await chmod(staging, 0o700);
  try {
    await rename(staging, dir);
  } catch (error) {
    // Another process put its set in place first (or an empty folder is in the way): use what is there.
    await rm(staging, { recursive: true, force: true });
    if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
  return { ...(await loadCredentials(paths)), generated: true };
}

export async function loadCredentials(paths: CredentialPaths): Promise<LoadedCredentials> {
  const [chainPem, keyPem] = await Promise.all([readFile(paths.certificate, 'utf8'), readFile(paths.privateKey, 'utf8')]);
  const certificates = splitPem(chainPem).map((pem) => new X509Certificate(pem));
  const leaf = certificates[0];
  if (!leaf) throw new Error(`${paths.certificate} holds no PEM certificate`);
  const key = createPrivateKey(keyPem);
  if (!leaf.checkPrivateKey(key)) {
    throw new Error(`${paths.privateKey} is not the private key of the first certificate in ${paths.certificate}`);
  }
  const notAfter = new Date(leaf.validTo);
  if (notAfter.getTime() < Date.now())
    throw new Error(`The signing certificate in ${paths.certificate} expired on ${leaf.validTo}`);
  const chain = certificates.map((certificate) => certificate.raw);
  return {
    algorithm: algorithmOf(key, paths.privateKey),
    key,
    chain,
    reserveSize: reserveSizeFor(chain),
    subject: leaf.subject.replace(/\n/g, ', '),
    notAfter,
    generated: false,
  };
}

/** C2PA allows ES256/384/512, PS256/384/512 and Ed25519; this signs with the usual one for each key type. */
function algorithmOf(key: KeyObject, path: string): SigningAlgorithm {
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (type === 'ec' && curve === 'prime256v1') return 'es256';
  if (type === 'ec' && curve === 'secp384r1') return 'es384';
  if (type === 'ed25519') return 'ed25519';
  if ((type === 'rsa' || type === 'rsa-pss') && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return 'ps256';
  throw new Error(
    `${path}: a ${type}${curve ? ` ${curve}` : ''} key; C2PA signing needs EC P-256 or P-384, Ed25519, or RSA of 2048 bits or more`,
  );
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
