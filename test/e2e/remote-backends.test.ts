import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { FakeComfyUi } from '../engines/comfyui/comfyui-fake-server.js';
import { multipartBody } from '../helpers/test-app.js';
import { QUICK, callApi, distanceFromNegative, raw, startServer, type RunningServer } from './remote-servers.js';

/**
 * The generative backends end to end, over real sockets on 127.0.0.1:
 *   client -> gateway A (venice engines) -> upstream B (this server too) -> ComfyUI test server
 * B routes `qwen-edit` to the ComfyUI protocol test double (and `qwen-edit-polling` to one without a
 * websocket) and removes backgrounds with its own segmentation model. A forwards everything to B, the
 * way an operator forwards to Venice. The requests are the API docs' own examples.
 */

let comfy: FakeComfyUi;
let comfyPolling: FakeComfyUi;
let upstream: RunningServer;
let gateway: RunningServer;
let files: Server;
let filesUrl = '';
const cat = readFileSync(path.resolve('test/fixtures/chelsea.png'));
const rocket = readFileSync(path.resolve('test/fixtures/rocket.jpg'));

before(async () => {
  comfy = await FakeComfyUi.start({ outputScale: 0.75 });
  comfyPolling = await FakeComfyUi.start({ websocket: false });
  upstream = await startServer({
    models: {
      'qwen-edit': {
        engine: 'comfyui',
        priceUsd: 0.04,
        aspectRatios: ['auto', '1:1', '3:2', '2:3'],
        options: { endpoints: [{ url: comfy.url }], ...QUICK },
      },
      'qwen-edit-polling': {
        engine: 'comfyui',
        priceUsd: 0.04,
        options: { endpoints: [{ url: comfyPolling.url }], historyPollMs: 20, ...QUICK },
      },
    },
  });
  const toUpstream = () => [{ url: `${upstream.url}/api/v1`, apiKey: upstream.key, name: 'upstream-venice' }];
  gateway = await startServer({
    inputs: { fetch: { allow: ['127.0.0.1/32'] } },
    backgroundRemovalModel: 'bg-upstream',
    models: {
      'qwen-edit': { engine: 'venice', priceUsd: 0.05, options: { endpoints: toUpstream(), ...QUICK } },
      // No policy of its own: shows the upstream's refusal coming through.
      'qwen-edit-open': {
        engine: 'venice',
        priceUsd: 0.05,
        blockedCategories: [],
        options: { endpoints: toUpstream(), model: 'qwen-edit', ...QUICK },
      },
      'bg-upstream': {
        engine: 'venice',
        type: 'background-removal',
        priceUsd: 0.03,
        combineImages: false,
        options: { endpoints: toUpstream(), ...QUICK },
      },
    },
  });
  files = createServer((req, res) =>
    res
      .writeHead(200, { 'content-type': req.url === '/rocket.jpg' ? 'image/jpeg' : 'image/png' })
      .end(req.url === '/rocket.jpg' ? rocket : cat),
  );
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});

after(async () => {
  await gateway?.app.close();
  await upstream?.app.close();
  await comfy?.close();
  await comfyPolling?.close();
  files?.close();
});

const maskBox = { left: 150, top: 90, width: 160, height: 120 };
const billboardMask = () => {
  const data = Buffer.alloc(451 * 300 * 3);
  for (let y = maskBox.top; y < maskBox.top + maskBox.height; y++)
    data.fill(255, (y * 451 + maskBox.left) * 3, (y * 451 + maskBox.left + maskBox.width) * 3);
  return sharp(data, { raw: { width: 451, height: 300, channels: 3 } })
    .png()
    .toBuffer();
};

describe('the API docs examples through a venice upstream', () => {
  test('JSON edit with a base64 image (docs: Python example)', async () => {
    const res = await callApi(gateway, 'image/edit', {
      model: 'qwen-edit',
      prompt: 'Remove the tourist crowd from the square and keep the architecture intact',
      image: cat.toString('base64'),
    });
    assert.equal(res.status, 200, res.body.toString());
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('x-retouch-charged-usd'), '0.05');
    const meta = await sharp(res.body).metadata();
    assert.deepEqual([meta.width, meta.height], [451, 300]);
    assert.ok((await distanceFromNegative(res.body, cat)) < 12, 'the pixels came from the ComfyUI run');
    const prompt = comfy.prompts.at(-1)!.prompt;
    assert.equal(prompt['20'].inputs?.prompt, 'Remove the tourist crowd from the square and keep the architecture intact');
    // The upstream charged the operator's key, the gateway charged the client's.
    assert.equal((await upstream.store.listUsage({})).filter((u) => u.status === 200).length >= 1, true);
  });

  test('JSON edit with an image URL (docs: Step 1)', async () => {
    const res = await callApi(gateway, 'image/edit', {
      model: 'qwen-edit',
      prompt: 'Replace the cloudy sky with a warm sunrise while preserving the buildings and canal',
      image: `${filesUrl}/rocket.jpg`,
    });
    assert.equal(res.status, 200, res.body.toString());
    const [meta, input] = [await sharp(res.body).metadata(), await sharp(rocket).metadata()];
    assert.deepEqual([meta.width, meta.height], [input.width, input.height]);
  });

  test('multipart edit', async () => {
    const form = multipartBody([
      { name: 'model', value: 'qwen-edit' },
      { name: 'prompt', value: 'change the sky to sunset' },
      { name: 'image', value: cat, filename: 'input.png' },
    ]);
    const res = await callApi(gateway, 'image/edit', form.payload, form.headers);
    assert.equal(res.status, 200, res.body.toString());
  });

  test('JSON multi-edit with a mask (docs: Step 2): outside the mask, exactly the original', async () => {
    const res = await callApi(gateway, 'image/multi-edit', {
      modelId: 'qwen-edit',
      prompt:
        'Replace the blank billboard area with a glowing Venice film festival poster while preserving lighting and perspective',
      images: [cat.toString('base64'), (await billboardMask()).toString('base64')],
    });
    assert.equal(res.status, 200, res.body.toString());
    const [output, original] = [await raw(res.body), await raw(cat)];
    let outside = 0;
    let inside = 0;
    for (let y = 0; y < 300; y++) {
      for (let x = 0; x < 451; x++) {
        const i = (y * 451 + x) * 3;
        const same = output.data.compare(original.data, i, i + 3, i, i + 3) === 0;
        const within =
          x >= maskBox.left && x < maskBox.left + maskBox.width && y >= maskBox.top && y < maskBox.top + maskBox.height;
        if (!within && !same) outside++;
        if (within && !same) inside++;
      }
    }
    assert.equal(outside, 0);
    assert.ok(inside > maskBox.width * maskBox.height * 0.9);
  });

  test('multipart multi-edit with repeated images parts (docs: curl example)', async () => {
    const form = multipartBody([
      { name: 'modelId', value: 'qwen-edit' },
      { name: 'prompt', value: 'Replace the blank billboard area with a glowing Venice film festival poster' },
      { name: 'images', value: cat, filename: 'street-scene.png' },
      { name: 'images', value: await billboardMask(), filename: 'billboard-mask.png' },
    ]);
    const res = await callApi(gateway, 'image/multi-edit', form.payload, form.headers);
    assert.equal(res.status, 200, res.body.toString());
  });

  for (const [name, body] of [
    ['image_url', () => ({ image_url: `${filesUrl}/cat.png` })],
    ['JSON image', () => ({ image: cat.toString('base64') })],
  ] as const) {
    test(`background removal by ${name} (docs: Step 3)`, async () => {
      const res = await callApi(gateway, 'image/background-remove', body());
      assert.equal(res.status, 200, res.body.toString());
      await assertCutout(res.body);
    });
  }

  test('background removal by multipart upload (docs: Step 3)', async () => {
    const form = multipartBody([{ name: 'image', value: cat, filename: 'product-photo.png' }]);
    const res = await callApi(gateway, 'image/background-remove', form.payload, form.headers);
    assert.equal(res.status, 200, res.body.toString());
    await assertCutout(res.body);
  });
});

async function assertCutout(png: Buffer) {
  const image = await raw(png);
  assert.deepEqual([image.width, image.height, image.channels], [451, 300, 4]);
  let transparent = 0;
  let opaque = 0;
  for (let i = 0; i < image.width * image.height; i++) {
    const alpha = image.data[i * 4 + 3];
    if (alpha < 16) transparent++;
    if (alpha > 240) opaque++;
  }
  assert.ok(transparent > 1000 && opaque > 1000, `a real cutout (transparent ${transparent}, opaque ${opaque})`);
}

describe('errors and health through the chain', () => {
  test("the upstream's content-policy refusal is Venice's 422 content violation here", async () => {
    const res = await callApi(gateway, 'image/edit', {
      model: 'qwen-edit-open',
      prompt: 'explicit sexual imagery of a minor',
      image: cat.toString('base64'),
    });
    assert.equal(res.status, 422);
    assert.equal(res.headers.get('x-venice-is-content-violation'), 'true');
    assert.doesNotMatch(res.body.toString(), /127\.0\.0\.1/);
  });

  test('GET /metrics has per-endpoint backend series, labelled by name and not by URL', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(
      text,
      /retouch_backend_requests_total\{model="qwen-edit",backend="venice",endpoint="upstream-venice",outcome="success"\} \d+/,
    );
    assert.match(text, /retouch_backend_request_duration_seconds_bucket\{.*endpoint="upstream-venice"/);
    assert.doesNotMatch(text, new RegExp(new URL(upstream.url).port));
  });
});

describe('the ComfyUI full path on the upstream', () => {
  test('qwen-edit: upload, submit, websocket progress, /view, PNG', async () => {
    const before = comfy.requests.length;
    const res = await callApi(upstream, 'image/edit', { prompt: 'add a party hat', image: cat.toString('base64'), seed: 7 });
    assert.equal(res.status, 200, res.body.toString());
    const job = comfy.requests.slice(before).filter((r) => r !== 'GET /system_stats');
    assert.deepEqual(job, ['POST /upload/image', 'POST /prompt', 'GET /view']);
    assert.equal(comfy.prompts.at(-1)!.prompt['40'].inputs?.seed, 7);
  });

  test('without a websocket: /history polling, and a mask composite', async () => {
    const res = await callApi(upstream, 'image/multi-edit', {
      modelId: 'qwen-edit-polling',
      prompt: 'erase it',
      images: [cat.toString('base64'), (await billboardMask()).toString('base64')],
    });
    assert.equal(res.status, 200, res.body.toString());
    assert.ok(comfyPolling.requests.some((r) => r.startsWith('GET /history/')));
    const [output, original] = [await raw(res.body), await raw(cat)];
    assert.equal(output.data.compare(original.data, 0, 451 * 3 * 80, 0, 451 * 3 * 80), 0, 'rows above the mask are untouched');
  });
});

describe('health', () => {
  test('when the GPU server goes away, both servers list the model offline and answer 503', async () => {
    await comfy.close();
    const offline = async (server: RunningServer, id: string) => {
      const list = (await (
        await fetch(`${server.url}/api/v1/models?type=inpaint`, { headers: { authorization: `Bearer ${server.key}` } })
      ).json()) as { data: any[] };
      return list.data.find((m: any) => m.id === id)?.model_spec?.offline === true;
    };
    for (let i = 0; i < 100 && !(await offline(gateway, 'qwen-edit')); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await offline(upstream, 'qwen-edit'), true);
    assert.equal(await offline(gateway, 'qwen-edit'), true);
    const res = await callApi(gateway, 'image/edit', { model: 'qwen-edit', prompt: 'x', image: cat.toString('base64') });
    assert.equal(res.status, 503);
  });
});
