import { constants, sign, type KeyObject } from 'node:crypto';
import { encode } from 'cborg';

/**
 * The claim signature as C2PA wants it: a COSE_Sign1 structure (RFC 9052) over the claim, made here
 * because `@contentauth/c2pa-wasm` hands its signing callback the claim and expects the whole COSE
 * structure back ("direct COSE handling"). Node's `crypto` holds the key; nothing leaves the process.
 *
 * - protected header: the algorithm and `x5chain` (label 33), the signer's certificate first, then the
 *   issuing certificates, as C2PA requires (a single certificate is a byte string, several an array);
 * - payload detached (`null`): the claim lives beside the signature in the manifest;
 * - signature over `Sig_structure1` = ["Signature1", protected, h'', claim];
 * - unprotected header: only `pad`, zero bytes that make the structure exactly `reserveSize` long,
 *   because the library reserved that much room in the file before the claim could be signed.
 *
 * No time stamp is added: that needs a time-stamping authority on the network (see docs/provenance.md).
 */

/** C2PA's algorithms that Node signs natively, with their COSE ids (RFC 9053). */
export type SigningAlgorithm = 'es256' | 'es384' | 'ps256' | 'ed25519';

const COSE_ALGORITHM: Record<SigningAlgorithm, number> = { es256: -7, es384: -35, ps256: -37, ed25519: -8 };
const DIGEST: Record<SigningAlgorithm, string | null> = { es256: 'sha256', es384: 'sha384', ps256: 'sha256', ed25519: null };

/** CBOR tag 18 (COSE_Sign1) is one byte: major type 6, value 18. */
const COSE_SIGN1_TAG = 0xd2;
const HEADER_ALG = 1;
const HEADER_X5CHAIN = 33;

export interface CoseSigner {
  algorithm: SigningAlgorithm;
  key: KeyObject;
  /** DER certificates, the signer's first. */
  chain: Buffer[];
  /** The exact length of every signature this signer makes. */
  reserveSize: number;
}

/** Room for the certificates, the signature and the headers, with margin (the library needs the size up front). */
export function reserveSizeFor(chain: Buffer[]): number {
  // The largest signature (RSA 4096) is 512 bytes; headers and CBOR framing take well under 1 KB more.
  return 2048 + chain.reduce((sum, der) => sum + der.length, 0);
}

/**
 * @example const cose = signClaim(signer, claimBytes); // cose.length === signer.reserveSize
 */
export function signClaim(signer: CoseSigner, claim: Uint8Array): Uint8Array {
  const x5chain = signer.chain.length === 1 ? signer.chain[0] : signer.chain;
  const protectedHeader = encode(
    new Map<number, unknown>([
      [HEADER_ALG, COSE_ALGORITHM[signer.algorithm]],
      [HEADER_X5CHAIN, x5chain],
    ]),
  );
  const toBeSigned = encode(['Signature1', protectedHeader, new Uint8Array(0), claim]);
  // ECDSA in COSE is r || s of fixed length (IEEE P1363), not DER; PS256 is RSA-PSS with a 32-byte salt.
  const signature = sign(DIGEST[signer.algorithm], toBeSigned, {
    key: signer.key,
    dsaEncoding: 'ieee-p1363',
    ...(signer.algorithm === 'ps256' ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : {}),
  });
  return padTo(signer.reserveSize, (padding) => {
    const body = encode([protectedHeader, new Map([['pad', new Uint8Array(padding)]]), null, signature]);
    const tagged = new Uint8Array(body.length + 1);
    tagged[0] = COSE_SIGN1_TAG;
    tagged.set(body, 1);
    return tagged;
  });
}

/**
 * The padding's own length prefix grows at 24, 256 and 65,536 bytes, so the exact size is found by
 * correcting the guess until it lands; a size that cannot be reached (a prefix boundary straddled) or
 * that the signature overflows is a configuration error worth a clear message.
 */
function padTo(size: number, build: (padding: number) => Uint8Array): Uint8Array {
  let padding = Math.max(0, size - build(0).length);
  for (let attempt = 0; attempt < 8; attempt++) {
    const built = build(padding);
    if (built.length === size) return built;
    padding += size - built.length;
    if (padding < 0) break;
  }
  throw new Error(`The COSE signature does not fit in ${size} bytes; the certificate chain is too large`);
}
