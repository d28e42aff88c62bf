import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * The embedded default's signing credentials, made on first start: a local certificate authority and a
 * signing certificate it issued, ECDSA P-256. C2PA validators refuse a self-signed certificate as the
 * signer, so the chain has two links; the authority's private key signs the one certificate and is then
 * dropped, never written. It proves that a file was not changed since this server signed it, not who
 * runs the server: a validator reports the signer as untrusted unless given `c2pa-ca.pem` as an anchor.
 * (`reflect-metadata` is the decorator polyfill that @peculiar/x509's dependency injection expects.)
 */

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** C2PA's profile accepts id-kp-documentSigning and id-kp-emailProtection; both are set for older validators. */
const DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';
const EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
const VALIDITY_YEARS = 5;

export interface GeneratedCredentials {
  /** PEM: the signing certificate, then the authority's. */
  chainPem: string;
  /** PEM (PKCS #8) private key of the signing certificate. */
  keyPem: string;
  /** PEM: the authority alone, the trust anchor for `retouch verify --trust`. */
  caPem: string;
}

/**
 * @example const { chainPem, keyPem, caPem } = await generateCredentials('retouch at example.org');
 */
export async function generateCredentials(organization: string): Promise<GeneratedCredentials> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const subtle = webcrypto.subtle;
  const caKeys = (await subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const signerKeys = (await subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  // Backdated a little so that a validator with a slightly slow clock does not see a future certificate.
  const notBefore = new Date(Date.now() - 3_600_000);
  const notAfter = new Date(notBefore.getTime() + VALIDITY_YEARS * 365 * 86_400_000);
  const org = organization.replace(/[,+="<>#;\\]/g, ' ').trim() || 'retouch';
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${org} local C2PA authority, O=${org}`,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const signer = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${org} content credentials, O=${org}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: signerKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([DOCUMENT_SIGNING, EMAIL_PROTECTION]),
      await x509.SubjectKeyIdentifierExtension.create(signerKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', signerKeys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim()}\n-----END PRIVATE KEY-----\n`;
  return { chainPem: `${signer.toString('pem')}\n${ca.toString('pem')}\n`, keyPem, caPem: `${ca.toString('pem')}\n` };
}

/** A positive 64-bit serial in hex (RFC 5280: unique per issuer, at most 20 octets). */
function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}
