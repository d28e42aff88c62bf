/**
 * Run by abort.test.ts as `node --expose-gc deadline-under-gc.js <mode>`: forces garbage collections
 * while a deadline is pending and prints one JSON line saying whether (and when) it fired.
 *   helper: withDeadline() alone, with nothing else holding its signal.
 *   job:    a request through runImageJob whose engine never finishes on its own; the model's timeout must answer.
 */
import { withDeadline } from '../../src/util/abort.js';
import { createTestApp, samplePng } from '../helpers/test-app.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const collect = setInterval(gc, 20);
const started = performance.now();

async function helperMode(): Promise<Record<string, unknown>> {
  const parent = new AbortController();
  let firedAt = -1;
  // Only the listener refers to the signal: exactly the situation in which Node 20 loses AbortSignal.any's timeout.
  withDeadline(parent.signal, 150).signal.addEventListener('abort', () => (firedAt = performance.now() - started));
  await new Promise((resolve) => setTimeout(resolve, 700));
  return { fired: firedAt >= 0, firedAtMs: Math.round(firedAt) };
}

async function jobMode(): Promise<Record<string, unknown>> {
  const t = await createTestApp({ config: { models: { 'test-edit': { engine: 'scripted', priceUsd: 0.01, timeoutMs: 300 } } } });
  t.engine.delayMs = 4_000;
  const image = (await samplePng(320, 240)).toString('base64');
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/image/edit',
    headers: t.auth,
    payload: { image, prompt: 'make it sepia', model: 'test-edit' },
  });
  const answeredAtMs = Math.round(performance.now() - started);
  await t.app.close();
  return { status: response.statusCode, error: response.json().error, answeredAtMs };
}

const mode = process.argv[2];
const result = mode === 'job' ? await jobMode() : await helperMode();
clearInterval(collect);
process.stdout.write(`${JSON.stringify(result)}\n`);
