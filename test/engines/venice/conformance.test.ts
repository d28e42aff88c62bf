import { after } from 'node:test';
import { veniceEngineFactory } from '../../../src/engines/venice/index.js';
import { ImageApiServer } from '../remote-kit/image-api-server.js';
import { runRemoteConformance } from '../remote-kit/remote-conformance.js';

/** venice against the kit's conformance suite, over a Venice image-API protocol test server. */
const api = await ImageApiServer.start();
after(() => api.close());

await runRemoteConformance({
  factory: veniceEngineFactory,
  server: {
    url: api.url,
    calls: () => api.calls,
    fieldsSeen: () => api.fields,
    slowDown: (on) => {
      api.delayMs = on ? 5_000 : 0;
    },
  },
  endpointUrl: (server) => `${server.url}/api/v1`,
  skip: { 'unsupported operation': 'the venice kind forwards every operation of the API' },
});
