import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import type { Engine, EngineOperation, EngineRequest } from '../../src/engines/engine.js';
import type { EngineFactory } from '../../src/engines/engine-factory.js';
import { isApiError } from '../../src/errors.js';
import type { RawImage } from '../../src/imaging/raw-image.js';
import { encodeResult } from '../helpers/engine-context.js';
import {
  checkDeclaredOperations,
  checkKeepsInputSize,
  checkNoNewContent,
  checkWhereItRuns,
  runCountingConnections,
  withFlatBase,
} from './trait-checks.js';

/**
 * The conformance suite every engine kind runs (in the manner of hono's shared router tests): each kind's
 * test file calls `runEngineConformance` with a way to build its engine and requests it can serve. The
 * cases are the promises the request path relies on, whatever the engine does with the pixels, and
 * that the engine does what its kind declares (its factory's `traits`; see trait-checks.ts).
 */
export interface ConformanceSubject {
  /** The kind's factory: its name and the traits it declares, which the suite holds the engine to. */
  factory: Pick<EngineFactory<unknown>, 'kind' | 'traits'>;
  /** A fresh engine (and how to tear down what the subject started for it). */
  create(): Promise<{ engine: Engine; cleanup?: () => Promise<void> }>;
  /** Work the subject can observe (model loads, worker pools started, calls received by a test server). */
  workDone(): number;
  /** An operation the engine does not do, with a request for it. */
  unsupported: { operation: EngineOperation; request(signal: AbortSignal): EngineRequest };
  /** A request the engine serves, and the size and channels its output must have. */
  served: {
    request(signal: AbortSignal): EngineRequest;
    size: { width: number; height: number };
    channels: Array<1 | 2 | 3 | 4>;
  };
  /** A request that runs long enough (a second or more) to be aborted while it works. */
  slow: (signal: AbortSignal) => EngineRequest;
  /**
   * Resolves once the slow request is in its long phase (default: 300 ms after it starts); the abort is
   * sent then, and the engine must reject within 2 s.
   */
  slowStarted?: () => Promise<void>;
  /** Where the engine promises that pixels outside a mask are the input's, bit for bit. */
  masked?: { request(signal: AbortSignal): EngineRequest; base: RawImage; insideMask(x: number, y: number): boolean };
  /** Cases this kind cannot run, each with its reason (listed in the test output). */
  skip?: Partial<Record<ConformanceCase, string>>;
}

export type ConformanceCase =
  | 'unsupported operation'
  | 'aborted before start'
  | 'aborted while working'
  | 'close twice'
  | 'status and describe'
  | 'declared operations'
  | 'output size and format'
  | 'no new content'
  | 'untouched outside the mask';

/** How long an engine may take to reject once its signal aborts during its long phase. */
const STOP_WITHIN_MS = 2_000;

export function runEngineConformance(subject: ConformanceSubject): void {
  const { kind, traits } = subject.factory;
  describe(`engine kit conformance: ${kind}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    const fresh = async () => {
      const made = await subject.create();
      cleanups.push(async () => {
        await made.engine.close();
        await made.cleanup?.();
      });
      return made.engine;
    };
    const when = (name: ConformanceCase, body: () => Promise<void>, notApplicable?: string) => {
      const reason = subject.skip?.[name] ?? notApplicable;
      test(name, reason ? { skip: reason } : {}, body);
    };

    when('unsupported operation', async () => {
      const engine = await fresh();
      const before = subject.workDone();
      const request = subject.unsupported.request(new AbortController().signal);
      assert.equal(request.operation, subject.unsupported.operation);
      await assert.rejects(engine.run(request), (error: unknown) => {
        assert.ok(isApiError(error), `expected an ApiError, got ${String(error)}`);
        assert.equal(error.status, 400);
        return true;
      });
      assert.equal(subject.workDone(), before, 'no work was started for a refused operation');
    });

    when('aborted before start', async () => {
      const engine = await fresh();
      const before = subject.workDone();
      const controller = new AbortController();
      controller.abort(new Error('gone before it started'));
      await assert.rejects(engine.run(subject.served.request(controller.signal)), /gone before it started/);
      assert.equal(subject.workDone(), before, 'an already-aborted request starts no work');
    });

    when('aborted while working', async () => {
      const engine = await fresh();
      const controller = new AbortController();
      const running = engine.run(subject.slow(controller.signal));
      running.catch(() => {});
      await (subject.slowStarted?.() ?? new Promise((resolve) => setTimeout(resolve, 300)));
      const abortedAt = performance.now();
      controller.abort(new Error('client went away'));
      await assert.rejects(running, /client went away/);
      const stoppedAfter = performance.now() - abortedAt;
      assert.ok(stoppedAfter < STOP_WITHIN_MS, `stopped ${stoppedAfter.toFixed(0)} ms after the abort`);
    });

    when('close twice', async () => {
      const { engine, cleanup } = await subject.create();
      await engine.close();
      await engine.close();
      await cleanup?.();
    });

    when('status and describe', async () => {
      const engine = await fresh();
      assert.equal(typeof engine.kind, 'string');
      const status = engine.status();
      if (status.online) assert.deepEqual(Object.keys(status), ['online']);
      else assert.ok(status.reason.length > 0, 'an offline engine says why');
      const described = engine.describe?.();
      if (described !== undefined) {
        assert.equal(typeof described, 'object');
        assert.deepEqual(JSON.parse(JSON.stringify(described)), described, 'describe() is plain JSON');
      }
    });

    when('declared operations', async () => {
      const signal = new AbortController().signal;
      // A kind that serves every operation has none to refuse (its 'unsupported operation' case is skipped).
      const refused = subject.skip?.['unsupported operation'] ? undefined : subject.unsupported.request(signal);
      checkDeclaredOperations(traits, subject.served.request(signal), refused);
      if (traits.runs === 'local') assert.deepEqual(traits.upstreamFields, [], 'a local kind has no upstream to take fields');
    });

    // Also where it runs (no connection from a local kind) and, when declared, the input's size kept.
    when('output size and format', async () => {
      const engine = await fresh();
      const request = subject.served.request(AbortSignal.timeout(120_000));
      const { result, connections } = await runCountingConnections(engine, request);
      checkWhereItRuns(traits, connections);
      await checkKeepsInputSize(traits, request, result);
      assert.ok(result.kind === 'raw' || result.kind === 'pipeline');
      if (result.kind === 'raw') {
        const { image } = result;
        assert.ok(image.channels === 3 || image.channels === 4);
        assert.equal(image.data.length, image.width * image.height * image.channels);
      }
      const encoded = await encodeResult(result);
      const meta = await sharp(encoded.png).metadata();
      assert.equal(meta.format, 'png');
      assert.deepEqual([meta.width, meta.height], [subject.served.size.width, subject.served.size.height]);
      assert.ok(subject.served.channels.includes(meta.channels as 1 | 2 | 3 | 4), `${meta.channels} channels`);
    });

    // A kind that may invent content cannot be caught not doing it; one that declares it invents none can.
    when(
      'no new content',
      async () => {
        const engine = await fresh();
        await checkNoNewContent(await engine.run(withFlatBase(subject.served.request(AbortSignal.timeout(120_000)))));
      },
      traits.newContent ? 'the kind declares it may invent content' : undefined,
    );

    when('untouched outside the mask', async () => {
      const masked = subject.masked;
      assert.ok(masked, 'a subject without a masked request must skip this case with a reason');
      const engine = await fresh();
      const result = await engine.run(masked.request(AbortSignal.timeout(120_000)));
      const { data, info } = await sharp((await encodeResult(result)).png)
        .raw()
        .toBuffer({ resolveWithObject: true });
      const { base } = masked;
      assert.deepEqual([info.width, info.height], [base.width, base.height]);
      let changedOutside = 0;
      let changedInside = 0;
      for (let y = 0; y < base.height; y++) {
        for (let x = 0; x < base.width; x++) {
          const i = y * base.width + x;
          let same = true;
          for (let c = 0; c < 3; c++) same &&= data[i * info.channels + c] === base.data[i * base.channels + c];
          if (!same && masked.insideMask(x, y)) changedInside++;
          else if (!same) changedOutside++;
        }
      }
      assert.equal(changedOutside, 0, 'no pixel outside the mask changed');
      assert.ok(changedInside > 0, 'the masked area was edited');
    });
  });
}
