/**
 * The main-thread cost of taking one ~100 MB JSON body (three 33 MB base64 images, the largest legal
 * request), before (reference: parse the whole text, then JSON.stringify it again for the idempotency
 * hash) and now (nesting guard and hash over each 64 KB chunk as it arrives, then one parse). What matters
 * for /healthz is the longest synchronous block, printed for both with their ratio. Medians of 5 runs.
 * The server now parses bodies of 1 MiB and up in a worker thread: measured too (event-loop delay monitor).
 * `node --import tsx bench/load/json-body.ts`
 */
import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { JsonNestingGuard } from '../../src/http/json-nesting-guard.js';
import { closeJsonParsePool, parseJsonOffThread } from '../../src/http/json-parse-pool.js';

const image = Buffer.alloc(25 * 1024 * 1024, 0x5a).toString('base64');
const body = Buffer.from(JSON.stringify({ modelId: 'local-edit', prompt: 'remove the tree', images: [image, image, image] }));
const CHUNK = 64 * 1024;

function reference(): { longestMs: number; totalMs: number } {
  const started = performance.now();
  const parsed = JSON.parse(body.toString('utf8'));
  createHash('sha256').update(JSON.stringify(parsed)).digest('hex');
  const total = performance.now() - started;
  return { longestMs: total, totalMs: total };
}

/** As streamed(), with the parse in the parser thread: what the server does now for bodies of 1 MiB and up. */
async function offThread(): Promise<{ longestMs: number; totalMs: number }> {
  const guard = new JsonNestingGuard(64);
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let longest = 0;
  for (let offset = 0; offset < body.length; offset += CHUNK) {
    const started = performance.now();
    const chunk = body.subarray(offset, offset + CHUNK);
    guard.feed(chunk);
    hash.update(chunk);
    chunks.push(chunk);
    longest = Math.max(longest, performance.now() - started);
  }
  // The main thread's share: the copy handed to the worker, and the clone of the value coming back.
  const probe = setInterval(() => {}, 1);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  await parseJsonOffThread(chunks, body.length);
  loop.disable();
  clearInterval(probe);
  const total = performance.now() - started;
  return { longestMs: Math.max(longest, loop.max / 1e6), totalMs: total };
}

function streamed(): { longestMs: number; totalMs: number } {
  const guard = new JsonNestingGuard(64);
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let longest = 0;
  let total = 0;
  for (let offset = 0; offset < body.length; offset += CHUNK) {
    const started = performance.now();
    const chunk = body.subarray(offset, offset + CHUNK);
    guard.feed(chunk);
    hash.update(chunk);
    chunks.push(chunk);
    const took = performance.now() - started;
    longest = Math.max(longest, took);
    total += took;
  }
  const started = performance.now();
  hash.digest('hex');
  JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const parse = performance.now() - started;
  return { longestMs: Math.max(longest, parse), totalMs: total + parse };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
type Run = { longestMs: number; totalMs: number };
const runs = { reference: [] as Run[], streamed: [] as Run[], offThread: [] as Run[] };
await parseJsonOffThread([Buffer.from('{}')], 2);
for (let i = 0; i < 5; i++) {
  runs.reference.push(reference());
  runs.streamed.push(streamed());
  runs.offThread.push(await offThread());
}
await closeJsonParsePool();
const report = (name: string, list: Array<{ longestMs: number; totalMs: number }>) => {
  const longest = median(list.map((r) => r.longestMs));
  const total = median(list.map((r) => r.totalMs));
  console.log(`${name}: longest block ${longest.toFixed(0)} ms, total ${total.toFixed(0)} ms`);
  return longest;
};
console.log(`body: ${(body.length / 2 ** 20).toFixed(1)} MiB`);
const before = report('reference (parse + JSON.stringify + hash)', runs.reference);
const inline = report('streamed, parsed on the main thread', runs.streamed);
const after = report('streamed, parsed in the parser thread (the server now)', runs.offThread);
console.log(
  `longest block ratio vs reference: ${(inline / before).toFixed(2)} inline, ${(after / before).toFixed(3)} off-thread`,
);
