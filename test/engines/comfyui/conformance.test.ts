import { after } from 'node:test';
import { comfyUiEngineFactory } from '../../../src/engines/comfyui/index.js';
import { runRemoteConformance } from '../remote-kit/remote-conformance.js';
import { FakeComfyUi, type FakeComfyOptions } from './comfyui-fake-server.js';

/** comfyui against the kit's conformance suite, over the ComfyUI protocol test server. */
// The server reads its options on every sampler step, so the slow case can switch the delay on.
const options: FakeComfyOptions = { stepDelayMs: 1 };
const comfy = await FakeComfyUi.start(options);
after(() => comfy.close());

await runRemoteConformance({
  factory: comfyUiEngineFactory,
  server: {
    url: comfy.url,
    calls: () => comfy.requests.length,
    slowDown: (on) => {
      options.stepDelayMs = on ? 250 : 1;
    },
  },
  endpointUrl: (server) => server.url,
});
