import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import sharp from 'sharp';
import type { Engine, EngineRequest, EngineResult } from '../../src/engines/engine.js';
import type { KindTraits } from '../../src/engines/kind-traits.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { encodeResult } from '../helpers/engine-context.js';

/**
 * Checks that an engine does what its kind declares (src/engines/kind-traits.ts). The conformance suite
 * runs them on every kind; test/engines/declared-kind.test.ts shows each fails on an engine that breaks
 * its declaration.
 */

/** Colour levels a pixel of a picture with nothing in it may vary by (rounding, resampling). */
const FLAT_TOLERANCE = 4;
/**
 * The share of pixels that may vary more: isolated ones where a network's tiles meet or at the picture's
 * corners (the super-resolution networks leave a few, up to 40 levels off, on a flat grey), far below
 * what painting anything into the picture changes.
 */
const STRAY_SHARE = 0.005;

/** The served and refused operations agree with the declared ones. */
export function checkDeclaredOperations(traits: KindTraits, served: EngineRequest, refused?: EngineRequest): void {
  assert.ok(traits.operations.includes(served.operation), `${served.operation} is served but not declared`);
  if (refused) assert.ok(!traits.operations.includes(refused.operation), `${refused.operation} is declared but refused`);
}

/**
 * Runs `request` while counting the TCP connections this process opens (Node's `net.client.socket`
 * channel sees `fetch`, `http` and websockets alike): a local kind opens none, a remote kind at least
 * one. (Worker threads are not watched: local kinds use them for pixel work only.)
 */
export async function runCountingConnections(
  engine: Engine,
  request: EngineRequest,
): Promise<{ result: EngineResult; connections: number }> {
  let connections = 0;
  const count = () => {
    connections++;
  };
  dc.subscribe('net.client.socket', count);
  try {
    const result = await engine.run(request);
    return { result, connections };
  } finally {
    dc.unsubscribe('net.client.socket', count);
  }
}

export function checkWhereItRuns(traits: KindTraits, connections: number): void {
  if (traits.runs === 'local') assert.equal(connections, 0, 'a local kind makes no network connection');
  else assert.ok(connections > 0, 'a remote kind reaches its upstream');
}

/** A kind that keeps the input's size answers at the size of the request's first image. */
export async function checkKeepsInputSize(traits: KindTraits, request: EngineRequest, result: EngineResult): Promise<void> {
  if (!traits.keepsInputSize) return;
  const { width, height } = await encodeResult(result);
  const [input] = request.images;
  assert.deepEqual([width, height], [input.width, input.height], 'declared to keep the input size');
}

/** The request with its first image replaced by one flat grey of the same size: a picture with no content. */
export function withFlatBase(request: EngineRequest): EngineRequest {
  const [base, ...layers] = request.images;
  const flat: RawImage = { ...base, data: Buffer.alloc(base.width * base.height * base.channels, 128) };
  if (base.channels === 4) for (let i = 3; i < flat.data.length; i += 4) flat.data[i] = 255;
  return { ...request, images: [flat, ...layers] };
}

/**
 * A kind that declares it invents nothing can put no content into a picture that has none: the flat
 * picture comes back flat (visible pixels within FLAT_TOLERANCE of the most common colour, but for
 * STRAY_SHARE of them), whatever the prompt asks. A generative model would paint the prompt into it.
 */
export async function checkNoNewContent(result: EngineResult): Promise<void> {
  const { data, info } = await sharp((await encodeResult(result)).png)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const colours = Math.min(info.channels, 3);
  const alpha = info.channels === 2 || info.channels === 4 ? info.channels - 1 : -1;
  const visible: number[] = [];
  for (let i = 0; i < data.length; i += info.channels) if (alpha < 0 || data[i + alpha] > 0) visible.push(i);
  const common = Array.from({ length: colours }, (_, c) => mostCommon(visible.map((i) => data[i + c])));
  const strays = visible.filter((i) => common.some((value, c) => Math.abs(data[i + c] - value) > FLAT_TOLERANCE)).length;
  assert.ok(
    strays <= visible.length * STRAY_SHARE,
    `a flat picture came back with ${strays} of ${visible.length} visible pixels off its colour: new content`,
  );
}

function mostCommon(values: number[]): number {
  const counts = new Array<number>(256).fill(0);
  for (const v of values) counts[v]++;
  return counts.indexOf(Math.max(...counts));
}
