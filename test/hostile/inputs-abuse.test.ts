import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createTestApp, samplePng, type TestApp } from '../helpers/test-app.js';

/**
 * Hostile image inputs: URLs aimed at the server's own network (SSRF), and files that are not what they
 * claim. Every one is a 4xx with a message that helps, never a 5xx, and never a charge.
 */
describe('hostile image inputs', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.app.close());

  const edit = (image: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/image/edit',
      headers: t.auth,
      payload: { image, prompt: 'make it sepia', model: 'test-edit' },
    });

  test('URLs into private, loopback, link-local or odd address spaces are refused, naming the setting and not the address', async () => {
    const urls = [
      'http://127.0.0.1:1/x.png',
      'http://localhost/x.png',
      'http://[::1]/x.png',
      'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0/x.png',
      'http://2130706433/x.png',
      'http://0x7f.1/x.png',
      'http://[::ffff:127.0.0.1]/x.png',
      'http://10.1.2.3/x.png',
      'http://[fd00::1]/x.png',
    ];
    for (const url of urls) {
      for (const res of [
        await edit(url),
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/image/background-remove',
          headers: t.auth,
          payload: { image_url: url },
        }),
      ]) {
        assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
        const { error } = res.json();
        assert.match(error, /private or reserved address; .*RETOUCH_FETCH_ALLOW/, url);
        assert.doesNotMatch(error, /127\.0\.0\.1|::1|169\.254|10\.1\.2\.3/, 'the resolved address is not revealed');
      }
    }
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1/', 'ftp://example.com/x.png', 'javascript:alert(1)']) {
      const res = await edit(url);
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    }
    assert.equal(t.engine.runs, 0);
  });

  test('files that are not the images they claim to be are 4xx', async () => {
    const png = await samplePng();
    const bomb = Buffer.from(png);
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    const cases: Record<string, string> = {
      empty: '',
      'not base64': '!!!!',
      'random bytes': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 255)).toString('base64'),
      'truncated PNG': png.subarray(0, png.length / 2).toString('base64'),
      'header of a 10-gigapixel PNG': bomb.toString('base64'),
      SVG: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9999" height="9999"/>').toString('base64'),
      PDF: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF').toString('base64'),
      HTML: Buffer.from('<!doctype html><img src=x onerror=alert(1)>').toString('base64'),
      'data URI lying about its type': `data:image/png;base64,${Buffer.from('GIF89a').toString('base64')}`,
      'tiny 1x1 picture': (
        await sharp({ create: { width: 1, height: 1, channels: 3, background: 'red' } })
          .png()
          .toBuffer()
      ).toString('base64'),
      'over 25 MB': 'A'.repeat(36 * 1024 * 1024),
    };
    for (const [name, image] of Object.entries(cases)) {
      const res = await edit(image);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      assert.ok(res.json().error.length > 5, name);
    }
    for (const image of [42, null, [], {}, ['a'], true]) {
      const res = await edit(image);
      assert.equal(res.statusCode, 400, `${JSON.stringify(image)}: ${res.body.slice(0, 200)}`);
    }
    assert.equal(t.engine.runs, 0);
    const balance = await t.store.getBalance(t.accountId);
    assert.equal(balance.reservedMicros, 0);
  });
});
