import { readFileSync } from 'node:fs';
import sharp from 'sharp';

/**
 * The soak test's mixed traffic: one request of each kind, as a client would send it, with the statuses
 * that count as a correct answer for that kind. Anything else (and any 5xx but a 503 with Retry-After)
 * is a failure the soak reports.
 */
export interface Kind {
  name: string;
  /** Share of the traffic (relative weight). */
  weight: number;
  expected: number[];
  send(address: string, key: string): Promise<Outcome>;
  /** The input it sends (base64), for the ledger probes that repeat an edit. */
  probeImage?: string;
}

export interface Outcome {
  status: number;
  ms: number;
  /** What a 200 answer charged, in micro-dollars (x-retouch-charged-usd). */
  chargedMicros: number;
  retryAfter: boolean;
}

const photo = (name: string) => readFileSync(`test/fixtures/${name}`);

async function post(address: string, key: string, path: string, body: unknown, abortAfterMs?: number): Promise<Outcome> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = abortAfterMs ? setTimeout(() => controller.abort(), abortAfterMs) : undefined;
  try {
    const response = await fetch(`${address}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    await response.arrayBuffer();
    const charged = response.headers.get('x-retouch-charged-usd');
    return {
      status: response.status,
      ms: performance.now() - started,
      chargedMicros: response.status === 200 && charged ? Math.round(Number(charged) * 1e6) : 0,
      retryAfter: response.headers.has('retry-after'),
    };
  } catch (error) {
    // A request we cancelled on purpose: status 0, nothing charged (the ledger check verifies that).
    if (controller.signal.aborted) return { status: 0, ms: performance.now() - started, chargedMicros: 0, retryAfter: false };
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The inputs, made once: real photos at sizes that keep each request to a few seconds on two cores. */
export async function makeKinds(): Promise<Kind[]> {
  const base64 = (b: Buffer) => b.toString('base64');
  const street = base64(await sharp(photo('street.jpg')).resize(640, 480).jpeg().toBuffer());
  const chelsea = base64(await sharp(photo('chelsea.png')).png().toBuffer());
  const small = base64(await sharp(photo('baboon.jpg')).resize(256, 256).png().toBuffer());
  const large = base64(await sharp(photo('astronaut.png')).resize(2048, 2048).jpeg().toBuffer());
  const mask = base64(
    await sharp({ create: { width: 640, height: 480, channels: 3, background: 'black' } })
      .composite([
        {
          input: Buffer.from('<svg width="640" height="480"><rect x="200" y="150" width="160" height="120" fill="white"/></svg>'),
        },
      ])
      .png()
      .toBuffer(),
  );
  return [
    {
      name: 'edit',
      weight: 4,
      probeImage: street,
      expected: [200],
      send: (a, k) => post(a, k, '/api/v1/image/edit', { image: street, prompt: 'make it black and white' }),
    },
    {
      name: 'multi-edit with mask',
      weight: 2,
      expected: [200],
      send: (a, k) => post(a, k, '/api/v1/image/multi-edit', { images: [street, mask], prompt: 'blur the masked area' }),
    },
    {
      name: 'background removal',
      weight: 2,
      expected: [200],
      send: (a, k) => post(a, k, '/api/v1/image/background-remove', { image: chelsea }),
    },
    {
      name: 'small upscale',
      weight: 1,
      expected: [200],
      send: (a, k) => post(a, k, '/api/v1/image/upscale', { image: small, scale: 2, creativity: 0 }),
    },
    {
      name: 'upscale refused (too long)',
      weight: 1,
      expected: [413],
      send: (a, k) => post(a, k, '/api/v1/image/upscale', { image: large, scale: 2 }),
    },
    {
      name: 'bad input',
      weight: 1,
      expected: [400],
      send: (a, k) => post(a, k, '/api/v1/image/edit', { image: 'not an image at all', prompt: 'brighten it' }),
    },
    {
      name: 'cancelled upscale',
      weight: 1,
      expected: [0],
      send: (a, k) => post(a, k, '/api/v1/image/upscale', { image: small, scale: 4 }, 400),
    },
  ];
}
