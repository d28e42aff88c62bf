import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import type { Engine, EngineRequest } from '../../src/engines/engine.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { loadPhoto } from '../imaging/photo-fixtures.js';
import { INVERT_TRAITS, InvertEngine, invert } from './invert-kind.js';
import {
  checkDeclaredOperations,
  checkKeepsInputSize,
  checkNoNewContent,
  checkWhereItRuns,
  runCountingConnections,
  withFlatBase,
} from './trait-checks.js';

/**
 * The conformance suite's trait checks can fail: each catches an engine that breaks what its kind
 * declares, and passes the honest invert kind.
 */

const photo: RawImage = await loadPhoto('chelsea');
const edit = (image: RawImage, operation: EngineRequest['operation'] = 'edit'): EngineRequest => ({
  operation,
  images: [image],
  prompt: 'invert it',
  options: {},
  signal: AbortSignal.timeout(10_000),
});
/** An engine of the invert kind whose run is replaced by `run`. */
const engineThat = (run: Engine['run']): Engine => Object.assign(new InvertEngine('liar'), { run });

test('operations: served must be declared, refused must not be', () => {
  checkDeclaredOperations(INVERT_TRAITS, edit(photo), edit(photo, 'background-remove'));
  assert.throws(() => checkDeclaredOperations(INVERT_TRAITS, edit(photo, 'upscale')), /upscale is served but not declared/);
  assert.throws(() => checkDeclaredOperations(INVERT_TRAITS, edit(photo), edit(photo)), /edit is declared but refused/);
});

test('keeps the input size: an engine that halves the picture is caught', async () => {
  await checkKeepsInputSize(INVERT_TRAITS, edit(photo), await new InvertEngine('invert').run(edit(photo)));
  const half: RawImage = { data: Buffer.alloc(200 * 150 * 3), width: 200, height: 150, channels: 3 };
  const halving = engineThat(async () => ({ kind: 'raw', image: half }));
  await assert.rejects(checkKeepsInputSize(INVERT_TRAITS, edit(photo), await halving.run(edit(photo))), /keep the input size/);
  // Not declared: not held to it.
  await checkKeepsInputSize({ ...INVERT_TRAITS, keepsInputSize: false }, edit(photo), await halving.run(edit(photo)));
});

test('runs locally: an engine that calls a server is caught, and a remote one that calls none', async () => {
  const server = http.createServer((_request, response) => response.end('ok')).listen(0, '127.0.0.1');
  after(() => server.close());
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const calling = engineThat(async (request) => {
    await (await fetch(url)).text();
    return { kind: 'raw', image: invert(request.images[0]) };
  });
  const called = await runCountingConnections(calling, edit(photo));
  assert.throws(() => checkWhereItRuns(INVERT_TRAITS, called.connections), /a local kind makes no network connection/);
  checkWhereItRuns({ ...INVERT_TRAITS, runs: 'remote' }, called.connections);
  const quiet = await runCountingConnections(new InvertEngine('invert'), edit(photo));
  checkWhereItRuns(INVERT_TRAITS, quiet.connections);
  assert.throws(() => checkWhereItRuns({ ...INVERT_TRAITS, runs: 'remote' }, quiet.connections), /reaches its upstream/);
});

test('no new content: an engine that paints into a flat picture is caught', async () => {
  const flat = withFlatBase(edit(photo));
  assert.deepEqual([flat.images[0].width, flat.images[0].height], [photo.width, photo.height]);
  await checkNoNewContent(await new InvertEngine('invert').run(flat));
  // It paints a soft gradient, as a generative model paints the prompt's subject.
  const painting = engineThat(async (request) => {
    const image = invert(request.images[0]);
    for (let i = 0; i < image.data.length; i++) image.data[i] = (image.data[i] + Math.floor((i / image.data.length) * 40)) & 255;
    return { kind: 'raw', image };
  });
  await assert.rejects(checkNoNewContent(await painting.run(flat)), /new content/);
});
