import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineContext } from '../../../src/engines/context.js';
import { comfyUiEngineFactory } from '../../../src/engines/comfyui/index.js';
import { localEditEngineFactory } from '../../../src/engines/local-edit/index.js';
import { veniceEngineFactory } from '../../../src/engines/venice/index.js';
import { ApiError } from '../../../src/errors.js';
import { testEngineContext } from '../../helpers/engine-context.js';

const photo = { data: Buffer.alloc(16 * 16 * 3, 120), width: 16, height: 16, channels: 3 as const };

type Online = ReturnType<NonNullable<EngineContext['onlineModels']>>;

function engineWith(online: Online | undefined) {
  const context: EngineContext = { ...testEngineContext(), ...(online ? { onlineModels: () => online } : {}) };
  return localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), context, 'local-edit');
}

const request = (prompt: string) => ({
  operation: 'edit' as const,
  images: [photo],
  prompt,
  options: {},
  signal: AbortSignal.timeout(10_000),
});

test('content that must be invented is refused with the generative models online', async () => {
  const engine = engineWith([
    { id: 'qwen-edit', engine: 'comfyui', traits: comfyUiEngineFactory.traits },
    { id: 'bg-remove', engine: 'venice', traits: { ...veniceEngineFactory.traits, operations: ['background-remove'] } },
    { id: 'local-edit', engine: 'local-edit', traits: localEditEngineFactory.traits },
  ]);
  await assert.rejects(engine.run(request('change the sky to a starry night')), (error: unknown) => {
    assert.ok(error instanceof ApiError && error.status === 400, String(error));
    assert.equal(error.body.refusal, 'needs-generative-model');
    assert.equal(error.body.clause, 'change the sky to a starry night');
    assert.match(
      error.message,
      /needs a generative model \(such as qwen-edit\); send it to one of the generative models online on this server: qwen-edit\./,
    );
    return true;
  });
});

test('with no generative model online the refusal says so', async () => {
  for (const online of [[], undefined]) {
    await assert.rejects(engineWith(online).run(request('add a dog next to the cat')), /this server has none online/);
  }
});

test('a named thing no detector knows, with no mask, says it needs a mask or a thing it can find', async () => {
  await assert.rejects(engineWith([]).run(request('remove the tree')), (error: unknown) => {
    assert.ok(error instanceof ApiError && error.body.refusal === 'needs-mask', String(error));
    assert.match(error.message, /needs a mask or a thing it can find/);
    return true;
  });
});
