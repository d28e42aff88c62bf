import { after } from 'node:test';
import { openAiEngineFactory } from '../../../src/engines/openai/index.js';
import { ImageApiServer } from '../remote-kit/image-api-server.js';
import { runRemoteConformance } from '../remote-kit/remote-conformance.js';

/** openai against the kit's conformance suite, over an OpenAI images-API protocol test server. */
const api = await ImageApiServer.start();
after(() => api.close());

await runRemoteConformance({
  factory: openAiEngineFactory,
  server: {
    url: api.url,
    calls: () => api.calls,
    fieldsSeen: () => api.fields,
    slowDown: (on) => {
      api.delayMs = on ? 5_000 : 0;
    },
  },
  endpointUrl: (server) => `${server.url}/v1`,
  extraOptions: { model: 'test-image-model' },
});
