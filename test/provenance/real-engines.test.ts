import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { reportPasses, verifyCredentials } from '../../src/provenance/verify.js';
import { createRealApp, type RealApp } from '../helpers/real-app.js';
import { TEST_TRUST_ANCHOR } from '../helpers/test-credentials.js';

/** The real local-edit engine describes its steps in C2PA's vocabulary; nothing it does is AI-made. */
let real: RealApp;
let photo: Buffer;
const anchor = readFileSync(TEST_TRUST_ANCHOR, 'utf8');

before(async () => {
  real = await createRealApp('10', 'provenance-real');
  photo = await sharp('test/fixtures/chelsea.png').resize(320).png().toBuffer();
});
after(async () => real.app.close());

async function actionsOf(body: Buffer) {
  const report = await verifyCredentials(body, { trustAnchorsPem: anchor });
  assert.ok(reportPasses(report, true), JSON.stringify(report.failures));
  const assertions = report.manifest?.assertions as Array<{ label: string; data: { actions: Array<Record<string, any>> } }>;
  return assertions.find((a) => a.label === 'c2pa.actions.v2')!.data.actions;
}

test('local-edit: a tone edit and a crop are colour adjustments and a crop, algorithmically enhanced', async () => {
  const res = await real.app.inject({
    method: 'POST',
    url: '/api/v1/image/edit',
    payload: { model: 'local-edit', prompt: 'make it warmer and crop it to a square', image: photo.toString('base64') },
    headers: real.auth,
  });
  assert.equal(res.statusCode, 200, res.body);
  const actions = await actionsOf(res.rawPayload);
  assert.deepEqual(
    actions.map((a) => [a.action, a.digitalSourceType?.split('/').pop(), a.softwareAgent?.name]),
    [
      ['c2pa.opened', undefined, undefined],
      ['c2pa.color_adjustments', 'algorithmicallyEnhanced', 'local-edit'],
      ['c2pa.cropped', 'algorithmicallyEnhanced', 'local-edit'],
    ],
  );
  // The prompt itself is never recorded.
  assert.ok(!JSON.stringify(actions).includes('warmer and crop'));
  const meta = await sharp(res.rawPayload).metadata();
  assert.equal(meta.width, meta.height);
});
