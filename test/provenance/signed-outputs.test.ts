import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { reportPasses, verifyCredentials } from '../../src/provenance/verify.js';
import { createTestApp, multipartBody, type TestApp } from '../helpers/test-app.js';
import { TEST_TRUST_ANCHOR } from '../helpers/test-credentials.js';
import { exiftool, hasExiftool } from './exiftool.js';

/**
 * Every answer carries Content Credentials and XMP: read back with the C2PA reader and with exiftool, for
 * each output format; changed bytes fail; the input's GPS position never reaches the output.
 */
let t: TestApp;
let photoWithGps: Buffer;
const anchor = readFileSync(TEST_TRUST_ANCHOR, 'utf8');

before(async () => {
  t = await createTestApp({ creditsUsd: '100', config: { bodyLimitBytes: 8 * 1024 * 1024 } });
  // A real photo with a GPS position and a camera in its EXIF, as a phone writes it.
  photoWithGps = await sharp('test/fixtures/fruits.jpg')
    .resize(400)
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'Camera 9', Artist: 'Jane Doe' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2940/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4020/100' },
    })
    .jpeg()
    .toBuffer();
});
after(async () => t.app.close());

const edit = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/image/edit', payload: body, headers: { ...t.auth, ...headers } });

test('the GPS fixture really carries a position (exiftool sees it)', { skip: !hasExiftool() && 'exiftool missing' }, () => {
  const tags = exiftool(photoWithGps, 'jpg');
  assert.ok(typeof tags['GPS:GPSLatitude'] === 'number', JSON.stringify(tags));
  assert.equal(tags['IFD0:Make'], 'TestPhone');
});

for (const format of ['png', 'jpeg', 'webp'] as const) {
  describe(`a ${format} answer`, () => {
    let body: Buffer;
    before(async () => {
      const res = await edit({ prompt: 'make it warmer', image: photoWithGps.toString('base64'), output_format: format });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['x-retouch-provenance'], 'c2pa, xmp');
      body = res.rawPayload;
      assert.equal((await sharp(body).metadata()).format, format);
      // The manifest is embedded where decoders skip it: the picture decodes whole, without a warning.
      const { info } = await sharp(body, { failOn: 'warning' }).raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual([info.width, info.height], [400, 375]);
    });

    test('validates with the C2PA reader: signature, hash binding, trust in the operator anchor', async () => {
      const report = await verifyCredentials(body, { trustAnchorsPem: anchor });
      assert.ok(reportPasses(report, true), JSON.stringify(report.failures));
      assert.equal(report.state, 'Trusted');
      const assertions = report.manifest?.assertions as Array<{ label: string; data: { actions: Array<Record<string, any>> } }>;
      const actions = assertions.find((a) => a.label === 'c2pa.actions.v2')!.data.actions;
      assert.equal(actions[0]!.action, 'c2pa.opened');
      // The scripted engine is a generative-kind engine as far as its traits go: the model redrew the picture.
      const edited = actions.find((a) => a.action === 'c2pa.edited')!;
      assert.equal(edited.digitalSourceType, 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia');
      assert.equal(edited.softwareAgent.name, 'test-edit');
      assert.equal(edited.softwareAgent['org.retouch.engine'], 'scripted');
      const ingredients = report.manifest?.ingredients as Array<Record<string, unknown>>;
      assert.equal(ingredients.length, 1);
      assert.equal(ingredients[0]!.relationship, 'parentOf');
      assert.equal(ingredients[0]!.format, 'image/jpeg');
    });

    test('without a trust anchor the signature and hash still hold (integrity, not identity)', async () => {
      const report = await verifyCredentials(body);
      assert.ok(report.signatureValid && report.hashBindingValid);
      assert.equal(report.trusted, false);
      assert.ok(reportPasses(report, false));
      assert.ok(!reportPasses(report, true));
    });

    test('one byte changed after signing fails validation', async () => {
      // A byte of the picture data, well past the headers (the manifest sits near the start).
      const changed = Buffer.from(body);
      const at = Math.floor(changed.length * 0.8);
      changed[at] = changed[at]! ^ 0x01;
      const report = await verifyCredentials(changed, { trustAnchorsPem: anchor });
      assert.equal(report.hashBindingValid, false, JSON.stringify(report.failures));
      assert.ok(!reportPasses(report, false));
    });

    test('exiftool reads the digital source type and the manifest, and no input EXIF survives', {
      skip: !hasExiftool() && 'exiftool missing',
    }, () => {
      const tags = exiftool(body, format === 'jpeg' ? 'jpg' : format);
      assert.equal(
        tags['XMP-iptcExt:DigitalSourceType'],
        'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
      );
      assert.match(String(tags['XMP-xmp:CreatorTool']), /^retouch .* \(test-edit\)$/);
      // exiftool 12.57 (Debian 12) parses C2PA's JUMBF in PNG and JPEG, not yet WebP's C2PA chunk.
      if (format !== 'webp')
        assert.ok(
          Object.keys(tags).some((k) => k.startsWith('JUMBF:')),
          Object.keys(tags).join(' '),
        );
      const leaked = Object.keys(tags).filter((k) => /GPS|Make|Model|Artist/.test(k) && !k.startsWith('JUMBF'));
      assert.deepEqual(leaked, []);
    });
  });
}

test('an idempotent replay returns the same signed bytes and says what they carry', async () => {
  const headers = { 'idempotency-key': 'provenance-replay-1' };
  const body = { prompt: 'make it cooler', image: photoWithGps.toString('base64') };
  const first = await edit(body, headers);
  const again = await edit(body, headers);
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(again.headers['x-idempotent-replay'], 'true');
  assert.ok(again.rawPayload.equals(first.rawPayload));
  assert.equal(again.headers['x-retouch-provenance'], 'c2pa, xmp');
  assert.ok(reportPasses(await verifyCredentials(again.rawPayload, { trustAnchorsPem: anchor }), true));
});

test("an input's own Content Credentials are kept as the ingredient's", async () => {
  const first = await edit({ prompt: 'make it warmer', image: photoWithGps.toString('base64') });
  const second = await edit({ prompt: 'make it brighter', image: first.rawPayload.toString('base64') });
  assert.equal(second.statusCode, 200, second.body);
  const report = await verifyCredentials(second.rawPayload, { trustAnchorsPem: anchor });
  assert.ok(reportPasses(report, true), JSON.stringify(report.failures));
  const [parent] = (report.manifest?.ingredients ?? []) as Array<Record<string, unknown>>;
  assert.equal(parent!.relationship, 'parentOf');
  assert.ok(parent!.active_manifest, 'the parent ingredient points to the input manifest');
});

test("the finishing step's bg_color is recorded after the engine's work", async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/image/background-remove',
    payload: { image: photoWithGps.toString('base64'), bg_color: 'white' },
    headers: t.auth,
  });
  assert.equal(res.statusCode, 200, res.body);
  const report = await verifyCredentials(res.rawPayload, { trustAnchorsPem: anchor });
  assert.ok(reportPasses(report, true), JSON.stringify(report.failures));
  const assertions = report.manifest?.assertions as Array<{ label: string; data: { actions: Array<Record<string, any>> } }>;
  const actions = assertions
    .find((a) => a.label === 'c2pa.actions.v2')!
    .data.actions.map((a) => [a.action, a.digitalSourceType?.split('/').pop()]);
  // The scripted engine stands for a kind with a generative model behind it (its traits say so); the real
  // segmentation kind's actions are checked in source-types.test.ts and real-engines.test.ts.
  assert.deepEqual(actions, [
    ['c2pa.opened', undefined],
    ['c2pa.edited', 'trainedAlgorithmicMedia'],
    ['c2pa.edited', 'algorithmicallyEnhanced'],
  ]);
});

test("multi-edit's other images are component ingredients, placed into the picture", async () => {
  const layer = await sharp('test/fixtures/coffee.png').resize(400).png().toBuffer();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/image/multi-edit',
    payload: { prompt: 'put the cup in the picture', images: [photoWithGps.toString('base64'), layer.toString('base64')] },
    headers: t.auth,
  });
  assert.equal(res.statusCode, 200, res.body);
  const report = await verifyCredentials(res.rawPayload, { trustAnchorsPem: anchor });
  assert.ok(reportPasses(report, true), JSON.stringify(report.failures));
  const ingredients = (report.manifest?.ingredients ?? []) as Array<Record<string, unknown>>;
  assert.deepEqual(
    ingredients.map((i) => [i.relationship, i.format]),
    [
      ['parentOf', 'image/jpeg'],
      ['componentOf', 'image/png'],
    ],
  );
  const assertions = report.manifest?.assertions as Array<{ label: string; data: { actions: Array<Record<string, any>> } }>;
  const actions = assertions.find((a) => a.label === 'c2pa.actions.v2')!.data.actions.map((a) => a.action);
  assert.deepEqual(actions.slice(0, 2), ['c2pa.opened', 'c2pa.placed']);
});

test("OpenAI's route: the picture inside the JSON carries the same credentials, and the header says so", async () => {
  const { payload, headers } = multipartBody([
    { name: 'model', value: 'test-edit' },
    { name: 'prompt', value: 'make it warmer' },
    { name: 'image', value: photoWithGps, filename: 'photo.jpg' },
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/v1/images/edits', payload, headers: { ...t.auth, ...headers } });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['x-retouch-provenance'], 'c2pa, xmp');
  const picture = Buffer.from((res.json() as { data: Array<{ b64_json: string }> }).data[0]!.b64_json, 'base64');
  assert.ok(reportPasses(await verifyCredentials(picture, { trustAnchorsPem: anchor }), true));
});

test('with signing off the answer carries XMP only, and says so', async () => {
  const off = await createTestApp({ config: { provenance: { sign: false } } });
  try {
    const res = await off.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      payload: { prompt: 'make it warmer', image: photoWithGps.toString('base64'), output_format: 'jpeg' },
      headers: off.auth,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['x-retouch-provenance'], 'xmp');
    const report = await verifyCredentials(res.rawPayload);
    assert.equal(report.present, false);
    const xmp = (await sharp(res.rawPayload).metadata()).xmp?.toString() ?? '';
    assert.match(xmp, /digitalsourcetype\/trainedAlgorithmicMedia/);
    assert.equal((await sharp(res.rawPayload).metadata()).exif, undefined, 'no input EXIF');
  } finally {
    await off.app.close();
  }
});
