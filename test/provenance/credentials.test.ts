import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { asBlob, c2pa } from '../../src/provenance/c2pa-runtime.js';
import { ContentCredentials } from '../../src/provenance/content-credentials.js';
import { signClaim } from '../../src/provenance/cose-sign1.js';
import { defaultCredentialPaths, ensureDefaultCredentials, loadCredentials } from '../../src/provenance/credentials.js';
import { BUILDER_SETTINGS } from '../../src/provenance/manifest.js';
import { reportPasses, verifyCredentials } from '../../src/provenance/verify.js';
import { runCli } from '../helpers/cli.js';
import { TEST_CREDENTIALS, TEST_TRUST_ANCHOR } from '../helpers/test-credentials.js';

const dir = mkdtempSync(path.join(tmpdir(), 'retouch-c2pa-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const facts = (inputs: Array<{ bytes: Buffer; mime: string }>) => ({
  model: { id: 'local-edit', engine: 'local-edit', generative: false, upscaler: false },
  actions: [
    { action: 'c2pa.color_adjustments' as const, description: 'Tone: warm', sourceType: 'algorithmicallyEnhanced' as const },
  ],
  inputs,
});

test('first start makes a signing set that C2PA accepts; the next start loads the same one', async () => {
  const made = await ensureDefaultCredentials(dir, 'Example Org');
  const paths = defaultCredentialPaths(dir);
  assert.equal(statSync(paths.privateKey).mode & 0o777, 0o600);
  assert.match(made.subject, /Example Org/);
  assert.equal(made.algorithm, 'es256');
  assert.equal(made.chain.length, 2, 'signing certificate and its authority');
  const again = await ensureDefaultCredentials(dir, 'Example Org');
  assert.ok(again.chain[0]!.equals(made.chain[0]!), 'not made twice');

  const photo = await sharp('test/fixtures/baboon.jpg').resize(256).jpeg().toBuffer();
  const signed = await new ContentCredentials(made, '0.0.0').sign(photo, 'jpeg', facts([{ bytes: photo, mime: 'image/jpeg' }]));
  const report = await verifyCredentials(signed, { trustAnchorsPem: readFileSync(paths.ca, 'utf8') });
  assert.ok(reportPasses(report, true), JSON.stringify(report.failures));
});

test('two processes making the default set at once end up signing with the same one', async () => {
  const shared = path.join(dir, 'race');
  const [a, b] = await Promise.all([ensureDefaultCredentials(shared, 'A'), ensureDefaultCredentials(shared, 'B')]);
  assert.ok(a.chain[0]!.equals(b.chain[0]!));
  assert.equal(a.subject, b.subject);
});

test('a key that is not the certificate’s is refused with the reason', async () => {
  const other = await ensureDefaultCredentials(path.join(dir, 'other'), 'Other');
  const wrongKey = path.join(dir, 'wrong-key.pem');
  writeFileSync(wrongKey, readFileSync(defaultCredentialPaths(path.join(dir, 'other')).privateKey));
  await assert.rejects(
    loadCredentials({ certificate: TEST_CREDENTIALS.certificate, privateKey: wrongKey }),
    /is not the private key/,
  );
  assert.ok(other.chain.length === 2);
});

test('every COSE signature has exactly the reserved size', async () => {
  const credentials = await loadCredentials(TEST_CREDENTIALS);
  for (const size of [0, 1, 100, 5000, 70_000]) {
    assert.equal(signClaim(credentials, new Uint8Array(size).fill(7)).length, credentials.reserveSize);
  }
});

test('replicas sharing a certificate produce manifests that validate alike', async () => {
  // Two signers loaded separately from the same files, as two replicas would.
  const replicas = [await loadCredentials(TEST_CREDENTIALS), await loadCredentials(TEST_CREDENTIALS)];
  const photo = await sharp('test/fixtures/fruits.jpg').resize(300).png().toBuffer();
  const anchor = readFileSync(TEST_TRUST_ANCHOR, 'utf8');
  const reports: Awaited<ReturnType<typeof verifyCredentials>>[] = [];
  for (const credentials of replicas) {
    const signed = await new ContentCredentials(credentials, '0.0.0').sign(photo, 'png', facts([]));
    reports.push(await verifyCredentials(signed, { trustAnchorsPem: anchor }));
  }
  const summary = (r: (typeof reports)[number]) => [
    r.state,
    r.signatureValid,
    r.hashBindingValid,
    r.trusted,
    r.failures,
    r.manifest?.signature_info,
  ];
  assert.deepEqual(summary(reports[0]!), summary(reports[1]!));
  assert.equal(reports[0]!.state, 'Trusted');
});

test('retouch verify: 0 for a valid file, 1 for a changed one or one without credentials', async () => {
  const credentials = await loadCredentials(TEST_CREDENTIALS);
  const photo = await sharp('test/fixtures/fruits.jpg').resize(300).webp().toBuffer();
  const signed = await new ContentCredentials(credentials, '0.0.0').sign(photo, 'webp', facts([]));
  const good = path.join(dir, 'good.webp');
  const bad = path.join(dir, 'bad.webp');
  const none = path.join(dir, 'none.webp');
  writeFileSync(good, signed);
  const changed = Buffer.from(signed);
  // A byte of the picture data (the manifest follows it at the end of the RIFF file).
  const at = Math.floor(photo.length / 2);
  changed[at] = changed[at]! ^ 0xff;
  writeFileSync(bad, changed);
  writeFileSync(none, photo);

  const ok = await runCli(['verify', good, '--trust', TEST_TRUST_ANCHOR], {});
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /signature:\s+valid/);
  assert.match(ok.stdout, /hash binding:\s+valid/);
  assert.match(ok.stdout, /trusted \(chains to/);
  assert.match(ok.stdout, /action:\s+c2pa\.color_adjustments \[local-edit\] \{algorithmicallyEnhanced\}: Tone: warm/);

  const changedRun = await runCli(['verify', bad], {});
  assert.equal(changedRun.code, 1, changedRun.stdout);
  assert.match(changedRun.stdout, /hash binding:\s+INVALID/);

  const absent = await runCli(['verify', none], {});
  assert.equal(absent.code, 1);
  assert.match(absent.stdout, /no Content Credentials/);

  const json = await runCli(['verify', good, '--json'], {});
  assert.equal(json.code, 0);
  assert.equal(JSON.parse(json.stdout).hashBindingValid, true);

  const usage = await runCli(['verify'], {});
  assert.equal(usage.code, 2);
});

test("an input manifest's metadata (a camera's GPS position) is redacted from the ingredient", async () => {
  const credentials = await loadCredentials(TEST_CREDENTIALS);
  const photo = await sharp('test/fixtures/street.jpg').resize(320).jpeg().toBuffer();
  // A camera's own Content Credentials, with its position in a c2pa.metadata assertion.
  const { WasmBuilder } = c2pa();
  const camera = WasmBuilder.fromJson(
    JSON.stringify({
      claim_generator_info: [{ name: 'test camera', version: '1' }],
      assertions: [
        {
          label: 'c2pa.actions.v2',
          data: {
            actions: [
              { action: 'c2pa.created', digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture' },
            ],
          },
        },
        {
          label: 'c2pa.metadata',
          data: {
            '@context': { exif: 'http://ns.adobe.com/exif/1.0/' },
            'exif:GPSLatitude': '48,51.49N',
            'exif:GPSLongitude': '2,17.67E',
          },
        },
      ],
    }),
    BUILDER_SETTINGS,
  );
  const signer = {
    alg: credentials.algorithm,
    reserveSize: credentials.reserveSize,
    sign: async (claim: Uint8Array) => signClaim(credentials, claim) as Uint8Array<ArrayBuffer>,
  };
  const captured = Buffer.from(await camera.sign(signer, [], 'image/jpeg', asBlob(photo)));
  camera.free();
  assert.ok(captured.includes(Buffer.from('48,51.49N')), 'the camera manifest holds the position');

  const edited = await new ContentCredentials(credentials, '0.0.0').sign(
    photo,
    'jpeg',
    facts([{ bytes: captured, mime: 'image/jpeg' }]),
  );
  assert.ok(!edited.includes(Buffer.from('48,51.49N')), 'no position in the answer');
  const report = await verifyCredentials(edited, { trustAnchorsPem: readFileSync(TEST_TRUST_ANCHOR, 'utf8') });
  assert.ok(reportPasses(report, true), JSON.stringify(report.failures));
  const [parent] = (report.manifest?.ingredients ?? []) as Array<Record<string, unknown>>;
  assert.ok(parent?.active_manifest, 'the camera manifest is kept as the ingredient’s');
  const assertions = report.manifest?.assertions as Array<{ label: string; data: { actions: Array<Record<string, any>> } }>;
  const actions = assertions.find((a) => a.label === 'c2pa.actions.v2')!.data.actions;
  assert.ok(actions.some((a) => a.action === 'c2pa.redacted' && String(a.parameters?.redacted).endsWith('/c2pa.metadata')));
});

test('an input whose Content Credentials are damaged still gets a valid answer', async () => {
  const credentials = await loadCredentials(TEST_CREDENTIALS);
  const signer = new ContentCredentials(credentials, '0.0.0');
  const photo = await sharp('test/fixtures/rocket.jpg').resize(300).jpeg().toBuffer();
  const signedInput = await signer.sign(photo, 'jpeg', facts([]));
  for (const marker of ['c2pa.claim', 'c2pa.signature', 'jumb']) {
    const damaged = Buffer.from(signedInput);
    const at = damaged.indexOf(Buffer.from(marker));
    for (let i = at; i < at + 40; i++) damaged[i] = 0x5a;
    const answer = await signer.sign(photo, 'jpeg', facts([{ bytes: damaged, mime: 'image/jpeg' }]));
    const report = await verifyCredentials(answer, { trustAnchorsPem: readFileSync(TEST_TRUST_ANCHOR, 'utf8') });
    assert.ok(reportPasses(report, true), `${marker}: ${JSON.stringify(report.failures)}`);
  }
});
