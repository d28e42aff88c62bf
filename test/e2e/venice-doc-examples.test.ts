import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { createTestApp, samplePng, type TestApp } from '../helpers/test-app.js';

/**
 * The requests of Venice's image edit documentation, as written there, against a real socket: only the
 * base URL and the key change. The URLs of the examples point at a local image server (allowed through
 * the fetch allow list, as an operator would for private hosts). The engine behind the models is the
 * gateway's test double: these tests are about the contract, the engines have their own.
 */
let t: TestApp;
let base: string;
let images: Server;
let imagesBase: string;
let png: Buffer;

before(async () => {
  png = await samplePng(400, 300);
  images = createServer((req, res) => {
    res.writeHead(200, { 'content-type': req.url?.endsWith('.jpg') ? 'image/jpeg' : 'image/png' }).end(png);
  });
  await new Promise<void>((done) => images.listen(0, '127.0.0.1', done));
  imagesBase = `http://127.0.0.1:${(images.address() as { port: number }).port}`;
  t = await createTestApp({ creditsUsd: '10', config: { inputs: { fetch: { allow: ['127.0.0.1/32'] } } } });
  base = `${await t.app.listen({ host: '127.0.0.1', port: 0 })}/api/v1`;
});
after(async () => {
  await t.app.close();
  images.close();
});

const headers = () => ({ Authorization: `Bearer ${t.key}` });

async function expectPng(res: Response, width = 400, height = 300) {
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('content-type'), 'image/png');
  const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
  assert.deepEqual([meta.width, meta.height], [width, height]);
}

test('Step 1: JSON edit with an image URL', async () => {
  const res = await fetch(`${base}/image/edit`, {
    method: 'POST',
    headers: { ...headers(), 'Content-Type': 'application/json' },
    body: JSON.stringify({
      model: 'qwen-edit',
      prompt: 'Replace the cloudy sky with a warm sunrise while preserving the buildings and canal',
      image: `${imagesBase}/venice-canal.jpg`,
    }),
  });
  await expectPng(res);
});

test('Step 1: JSON edit with a base64 image (the Python example)', async () => {
  const res = await fetch(`${base}/image/edit`, {
    method: 'POST',
    headers: { ...headers(), 'Content-Type': 'application/json' },
    body: JSON.stringify({
      model: 'qwen-edit',
      prompt: 'Remove the tourist crowd from the square and keep the architecture intact',
      image: png.toString('base64'),
    }),
  });
  await expectPng(res);
});

test('Step 1: multipart edit with a file upload', async () => {
  const form = new FormData();
  form.set('model', 'qwen-edit');
  form.set('prompt', 'change the sky to sunset');
  form.set('image', new Blob([png]), 'input.png');
  await expectPng(await fetch(`${base}/image/edit`, { method: 'POST', headers: headers(), body: form }));
});

test('Step 2: JSON multi-edit with two image URLs and modelId', async () => {
  const res = await fetch(`${base}/image/multi-edit`, {
    method: 'POST',
    headers: { ...headers(), 'Content-Type': 'application/json' },
    body: JSON.stringify({
      modelId: 'qwen-edit',
      prompt:
        'Replace the blank billboard area with a glowing Venice film festival poster while preserving lighting and perspective',
      images: [`${imagesBase}/street-scene.png`, `${imagesBase}/billboard-mask.png`],
    }),
  });
  await expectPng(res);
});

test('Step 2: multipart multi-edit with repeated images parts', async () => {
  const form = new FormData();
  form.set('modelId', 'qwen-edit');
  form.set('prompt', 'Replace the blank billboard area with a glowing Venice film festival poster');
  form.append('images', new Blob([png]), 'street-scene.png');
  form.append('images', new Blob([png]), 'billboard-mask.png');
  await expectPng(await fetch(`${base}/image/multi-edit`, { method: 'POST', headers: headers(), body: form }));
});

test('Step 3: background removal by image_url, by JSON image and by multipart upload', async () => {
  const byUrl = await fetch(`${base}/image/background-remove`, {
    method: 'POST',
    headers: { ...headers(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ image_url: `${imagesBase}/product-photo.jpg` }),
  });
  await expectPng(byUrl);
  const byJson = await fetch(`${base}/image/background-remove`, {
    method: 'POST',
    headers: { ...headers(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ image: png.toString('base64') }),
  });
  await expectPng(byJson);
  const form = new FormData();
  form.set('image', new Blob([png]), 'product.jpg');
  await expectPng(await fetch(`${base}/image/background-remove`, { method: 'POST', headers: headers(), body: form }));
});
