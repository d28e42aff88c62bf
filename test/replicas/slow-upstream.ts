import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

/**
 * A test server speaking Venice's image API (POST /image/edit with a JSON body, answering the PNG), for
 * the replicas to forward to with the real `venice` engine. It stands for a slow GPU backend: each edit
 * takes `delayMs`, and it records how many edits run at the same time, so a test can check a capacity
 * limit across processes. Its "model" negates the image, so a result can be told from its input.
 */
export class SlowUpstream {
  url = '';
  delayMs: number;
  /** Edits running now, the most at once, and the number started. */
  active = 0;
  mostActive = 0;
  started = 0;
  finished = 0;
  private readonly server: Server;
  /** While set, edits wait for it after their delay (see `pause`). */
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  private constructor(delayMs: number) {
    this.delayMs = delayMs;
    this.server = createServer(async (req, res) => {
      if (req.method === 'GET' && req.url?.endsWith('/models')) {
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      this.started++;
      this.mostActive = Math.max(this.mostActive, ++this.active);
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString());
        await new Promise((resolve) => setTimeout(resolve, this.delayMs));
        await this.gate;
        const png = await sharp(Buffer.from(body.image ?? body.images[0], 'base64'))
          .negate({ alpha: false })
          .png()
          .toBuffer();
        if (!res.destroyed) res.writeHead(200, { 'content-type': 'image/png' }).end(png);
        this.finished++;
      } catch (error) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
      } finally {
        this.active--;
      }
    });
  }

  static async start(delayMs: number): Promise<SlowUpstream> {
    const upstream = new SlowUpstream(delayMs);
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    upstream.url = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}`;
    return upstream;
  }

  /** Holds every edit (running or new) until `resume`: a test decides when the engine answers. */
  pause(): void {
    this.gate ??= new Promise<void>((resolve) => {
      this.openGate = resolve;
    });
  }

  resume(): void {
    this.openGate?.();
    this.gate = undefined;
    this.openGate = undefined;
  }

  resetCounts(): void {
    this.mostActive = this.active;
    this.started = 0;
    this.finished = 0;
  }

  close(): Promise<void> {
    this.resume();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
