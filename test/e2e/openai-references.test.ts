import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { createRealApp, type RealApp } from '../helpers/real-app.js';

/**
 * Several `image[]` parts from an OpenAI client on local-edit, which invents nothing: the extra images are
 * bound to what the prompt does with them, and a prompt that uses none gets an answer the client can act
 * on (change the prompt or send one image), never a Venice-only field.
 */
const cat = readFileSync(path.resolve('test/fixtures/chelsea.png'));
let real: RealApp;
let client: OpenAI;
let logo: Buffer;

before(async () => {
  real = await createRealApp('10', 'openai-references');
  const url = await real.app.listen({ port: 0, host: '127.0.0.1' });
  client = new OpenAI({ baseURL: `${url}/v1`, apiKey: real.auth.authorization.slice('Bearer '.length), maxRetries: 0 });
  logo = await sharp(readFileSync(path.resolve('test/fixtures/rocket.jpg')))
    .resize(300, 300)
    .png()
    .toBuffer();
});
after(async () => real.app.close());

const images = async () => [
  await toFile(cat, 'cat.png', { type: 'image/png' }),
  await toFile(logo, 'logo.png', { type: 'image/png' }),
];

test('a reference the prompt places is used: "add the logo in the top right corner" answers the edited photo', async () => {
  const result = await client.images.edit({
    model: 'local-edit',
    image: await images(),
    prompt: 'add the logo in the top right corner',
  });
  const png = Buffer.from(result.data![0]!.b64_json!, 'base64');
  const meta = await sharp(png).metadata();
  assert.deepEqual([meta.width, meta.height], [451, 300]);
  // The top right corner now holds the rocket picture, the bottom left is still the cat.
  const region = (image: Buffer, left: number, top: number) =>
    sharp(image).extract({ left, top, width: 40, height: 40 }).removeAlpha().raw().toBuffer();
  const differs = async (left: number, top: number) => {
    const [a, b] = await Promise.all([region(png, left, top), region(cat, left, top)]);
    return a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
  };
  assert.ok((await differs(400, 10)) > 20, 'the corner changed');
  assert.ok((await differs(5, 255)) < 2, 'the rest did not');
});

test('a reference no instruction uses: a 400 that names what an OpenAI client can change', async () => {
  const error: unknown = await client.images
    .edit({ model: 'local-edit', image: await images(), prompt: 'make it black and white' })
    .catch((e: unknown) => e);
  assert.ok(error instanceof OpenAI.BadRequestError);
  assert.equal(error.code, 'unsupported_instruction');
  assert.match(error.message, /say where to put it .*or send only the image to edit/);
  assert.doesNotMatch(error.message, /layer_roles/);
});
