import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

/**
 * A protocol test server for the HTTP image APIs the `openai` and `venice` engines call, on 127.0.0.1:
 * OpenAI's `POST /v1/images/edits` (multipart in, `{data:[{b64_json}]}` out) and Venice's
 * `POST /image/edit`, `/image/multi-edit`, `/image/background-remove` (JSON in, raw PNG out), plus the
 * health routes the engines probe. It runs no model: it answers the negative of the first image (with an
 * alpha channel for background removal), after `delayMs`, so tests can tell the output from the input.
 */
export class ImageApiServer {
  /** Image calls received (health probes are not counted). */
  calls = 0;
  /** The field names of the last image call (JSON keys or form fields), to see what reached the upstream. */
  fields: string[] = [];
  delayMs = 0;
  url = '';
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<ImageApiServer> {
    const api = new ImageApiServer();
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    api.url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    return api;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
    this.calls++;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (res.destroyed) return;
    if (path.endsWith('/images/edits')) {
      const form = await new Request('http://x', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type']) },
        body,
      }).formData();
      this.fields = [...new Set(form.keys())];
      const first = (form.getAll('image[]')[0] ?? form.getAll('image')[0]) as Blob;
      const png = await negative(Buffer.from(await first.arrayBuffer()), false);
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ created: 0, data: [{ b64_json: png.toString('base64') }] }));
    }
    const json = JSON.parse(body.toString()) as { image?: string; images?: string[] };
    this.fields = Object.keys(json);
    const first = Buffer.from(json.image ?? json.images?.[0] ?? '', 'base64');
    const png = await negative(first, path.endsWith('/background-remove'));
    res.writeHead(200, { 'content-type': 'image/png' }).end(png);
  }
}

/** The negative of an image; with `cutout`, the left half opaque and the right half transparent. */
async function negative(bytes: Buffer, cutout: boolean): Promise<Buffer> {
  const { data, info } = await sharp(bytes).removeAlpha().negate().raw().toBuffer({ resolveWithObject: true });
  if (!cutout) return sharp(data, { raw: info }).png().toBuffer();
  const alpha = Buffer.alloc(info.width * info.height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = i % info.width < info.width / 2 ? 255 : 0;
  return sharp(data, { raw: info })
    .joinChannel(alpha, { raw: { width: info.width, height: info.height, channels: 1 } })
    .png()
    .toBuffer();
}
