import path from 'node:path';

/**
 * The signing credentials tests sign with: a local authority and a signing certificate made once by
 * src/provenance/self-signed.ts (valid until 2031) and kept in test/fixtures/c2pa/. A test key, known to
 * all: it proves nothing outside the tests. Servers under test sign with it instead of making a set in
 * their data directory.
 */
export const TEST_CREDENTIALS = {
  certificate: path.resolve('test/fixtures/c2pa/signer-chain.pem'),
  privateKey: path.resolve('test/fixtures/c2pa/signer-key.pem'),
};

/** The authority that issued the test signing certificate: the trust anchor for verifying test outputs. */
export const TEST_TRUST_ANCHOR = path.resolve('test/fixtures/c2pa/c2pa-ca.pem');
