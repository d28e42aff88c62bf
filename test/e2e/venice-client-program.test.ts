import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { startServer, type RunningServer } from './remote-servers.js';

/**
 * A program written against Venice's API as it is documented today (output_format, resolution, the
 * balance header), run unchanged against this server: only the base URL and the key differ. It names no
 * model, so each server uses its default (Venice's firered-image-edit; here local-edit, as no generative
 * backend is configured).
 */
async function veniceProgram(baseUrl: string, apiKey: string, photo: Buffer) {
  const headers = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' };
  const edit = await fetch(`${baseUrl}/image/edit`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      prompt: 'make it black and white',
      image: photo.toString('base64'),
      output_format: 'jpeg',
      resolution: '1K',
    }),
  });
  if (!edit.ok) throw new Error(`edit failed: ${edit.status} ${await edit.text()}`);
  const form = new FormData();
  form.append('prompt', 'add a vignette');
  form.append('images', new Blob([photo], { type: 'image/png' }), 'photo.png');
  form.append('output_format', 'webp');
  const multi = await fetch(`${baseUrl}/image/multi-edit`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}` },
    body: form,
  });
  if (!multi.ok) throw new Error(`multi-edit failed: ${multi.status} ${await multi.text()}`);
  const models = (await (await fetch(`${baseUrl}/models?type=inpaint`)).json()) as { data: any[] };
  return {
    edit: {
      type: edit.headers.get('content-type'),
      balance: edit.headers.get('x-venice-balance-usd'),
      bytes: Buffer.from(await edit.arrayBuffer()),
    },
    multi: { type: multi.headers.get('content-type'), bytes: Buffer.from(await multi.arrayBuffer()) },
    resolutions: models.data.map((m: any) => m.model_spec.constraints.resolutions),
  };
}

let server: RunningServer;
let photo: Buffer;
before(async () => {
  server = await startServer({});
  // A real photo large enough for 1K: four copies of the fixture side by side (1482 x 1000).
  const tile = readFileSync('test/fixtures/motorcycle_left.png');
  photo = await sharp({ create: { width: 1482, height: 1000, channels: 3, background: '#000' } })
    .composite([0, 1, 2, 3].map((i) => ({ input: tile, left: (i % 2) * 741, top: Math.floor(i / 2) * 500 })))
    .png()
    .toBuffer();
});
after(async () => server?.app.close());

test("a program written for Venice's API runs unchanged against this server", async () => {
  const out = await veniceProgram(`${server.url}/api/v1`, server.key, photo);
  assert.equal(out.edit.type, 'image/jpeg');
  const meta = await sharp(out.edit.bytes).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 1024, 691]);
  assert.equal(out.edit.balance, '10', 'the balance before this request');
  assert.equal(out.multi.type, 'image/webp');
  assert.equal((await sharp(out.multi.bytes).metadata()).width, 1482);
  assert.ok(out.resolutions.every((r: unknown) => Array.isArray(r) && r.includes('1K')));
});
