import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { WebSocketServer, type WebSocket } from 'ws';
import { executionOrder, nodeCatalogue, sourceImage, validatePrompt, type Workflow } from './comfyui-fake-nodes.js';

/**
 * A test double of ComfyUI's server protocol (server.py, execution.py), on 127.0.0.1: the routes
 * POST /upload/image, POST /prompt, GET /history[/{id}], GET /view, POST /interrupt, POST /queue,
 * GET /system_stats and the /ws?clientId= websocket with ComfyUI's message sequence (status,
 * execution_start, execution_cached, executing, progress, executed, execution_success, executing null;
 * execution_error and execution_interrupted on failure). It runs no model: its "sampler" negates the
 * base image, so a test can tell the output from the input. Behaviours a test needs (failures, slow
 * steps, no websocket) are switched on through `FakeComfyOptions`.
 */
export interface FakeComfyOptions {
  /** Model files the server has (the shipped workflow's by default). */
  unet?: string[];
  clip?: string[];
  vae?: string[];
  /** false: no websocket route (clients must poll /history). */
  websocket?: boolean;
  /** Close every socket right after sending a message of this type. */
  dropSocketAfter?: string;
  /** Delay of each sampler step. */
  stepDelayMs?: number;
  /** Make the node of this class raise during execution. */
  failClass?: { classType: string; exceptionType: string; message: string };
  /** Output nodes save nothing (a workflow "without output"). */
  omitOutput?: boolean;
  /** Scale of the output relative to the source image (a model that works at another resolution). */
  outputScale?: number;
}

interface PromptRecord {
  id: string;
  number: number;
  prompt: Workflow;
  clientId: string;
  outputs: string[];
}

export class FakeComfyUi {
  readonly uploads = new Map<string, Buffer>();
  readonly files = new Map<string, Buffer>();
  readonly history: Record<string, unknown> = {};
  readonly requests: string[] = [];
  readonly interrupts: string[] = [];
  readonly deleted: string[] = [];
  readonly prompts: PromptRecord[] = [];
  /** Per route, statuses to answer with before behaving normally (e.g. `['/prompt', [503, 503]]`). */
  readonly failures = new Map<string, number[]>();
  url = '';
  private readonly sockets = new Map<string, WebSocket>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly server: Server;
  private queue: PromptRecord[] = [];
  private running?: PromptRecord;
  private interruptFlag = false;
  private closed = false;
  private counter = 0;
  private readonly catalogue;

  constructor(private readonly options: FakeComfyOptions = {}) {
    this.catalogue = nodeCatalogue({
      unet: options.unet ?? ['qwen_image_edit_2509_fp8_e4m3fn.safetensors'],
      clip: options.clip ?? ['qwen_2.5_vl_7b_fp8_scaled.safetensors'],
      vae: options.vae ?? ['qwen_image_vae.safetensors'],
      inputs: () => [...this.uploads.keys()],
    });
    this.server = createServer(
      (req, res) => void this.route(req, res).catch((error) => send(res, 500, { error: String(error) })),
    );
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/ws' || this.options.websocket === false) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, url.searchParams.get('clientId') || randomUUID()));
    });
  }

  static async start(options?: FakeComfyOptions): Promise<FakeComfyUi> {
    const fake = new FakeComfyUi(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const ws of this.sockets.values()) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onSocket(ws: WebSocket, sid: string): void {
    this.sockets.set(sid, ws);
    ws.on('close', () => this.sockets.get(sid) === ws && this.sockets.delete(sid));
    this.sendTo(sid, 'status', { status: { exec_info: { queue_remaining: this.queue.length } }, sid });
  }

  private sendTo(clientId: string, type: string, data: Record<string, unknown>): void {
    const ws = this.sockets.get(clientId);
    if (!ws) return;
    ws.send(JSON.stringify({ type, data }));
    if (type === this.options.dropSocketAfter) ws.terminate();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/api(?=\/)/, '');
    this.requests.push(`${req.method} ${path}`);
    const planned = this.failures.get(path)?.shift();
    if (planned) return send(res, planned, { error: `planned ${planned}` });
    const body = await readBody(req);
    if (req.method === 'GET' && path === '/system_stats') return send(res, 200, { system: { os: 'posix' }, devices: [] });
    if (req.method === 'POST' && path === '/upload/image') return this.upload(req, body, res);
    if (req.method === 'POST' && path === '/prompt') return this.submit(JSON.parse(body.toString() || '{}'), res);
    if (req.method === 'GET' && path.startsWith('/history/')) {
      const id = decodeURIComponent(path.slice('/history/'.length));
      return send(res, 200, id in this.history ? { [id]: this.history[id] } : {});
    }
    if (req.method === 'GET' && path === '/history') return send(res, 200, this.history);
    if (req.method === 'GET' && path === '/view') {
      const key = `${url.searchParams.get('type')}/${url.searchParams.get('subfolder')}/${url.searchParams.get('filename')}`;
      const file = this.files.get(key);
      if (!file) return send(res, 404, null);
      res.writeHead(200, { 'content-type': 'image/png' }).end(file);
      return;
    }
    if (req.method === 'POST' && path === '/interrupt') {
      const id = body.length ? JSON.parse(body.toString()).prompt_id : undefined;
      this.interrupts.push(id ?? '*');
      if (this.running && (!id || id === this.running.id)) this.interruptFlag = true;
      return send(res, 200, null);
    }
    if (req.method === 'POST' && path === '/queue') {
      const ids: string[] = JSON.parse(body.toString()).delete ?? [];
      this.deleted.push(...ids);
      this.queue = this.queue.filter((p) => !ids.includes(p.id));
      return send(res, 200, null);
    }
    send(res, 404, null);
  }

  private async upload(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const form = await new Request('http://x', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body,
    }).formData();
    const image = form.get('image');
    if (!(image instanceof File) || !image.name) return send(res, 400, null);
    let name = image.name;
    if (form.get('overwrite') !== 'true' && form.get('overwrite') !== '1') {
      for (let i = 1; this.uploads.has(name); i++) name = image.name.replace(/(\.[^.]*)?$/, ` (${i})$1`);
    }
    this.uploads.set(name, Buffer.from(await image.arrayBuffer()));
    send(res, 200, { name, subfolder: '', type: String(form.get('type') ?? 'input') });
  }

  private submit(json: { prompt?: Workflow; client_id?: string }, res: ServerResponse): void {
    if (!json.prompt) {
      send(res, 400, {
        error: { type: 'no_prompt', message: 'No prompt provided', details: '', extra_info: {} },
        node_errors: {},
      });
      return;
    }
    const validation = validatePrompt(json.prompt, this.catalogue);
    if (!validation.ok) {
      send(res, 400, { error: validation.error, node_errors: validation.node_errors });
      return;
    }
    const record: PromptRecord = {
      id: randomUUID(),
      number: this.counter++,
      prompt: json.prompt,
      clientId: json.client_id ?? '',
      outputs: validation.outputs,
    };
    this.prompts.push(record);
    this.queue.push(record);
    send(res, 200, { prompt_id: record.id, number: record.number, node_errors: {} });
    setImmediate(() => void this.drain());
  }

  /** Runs queued prompts one at a time, like ComfyUI's prompt worker. */
  private async drain(): Promise<void> {
    if (this.running) return;
    for (this.running = this.queue.shift(); this.running; this.running = this.queue.shift()) {
      await this.execute(this.running);
      this.interruptFlag = false;
    }
  }

  private async execute(record: PromptRecord): Promise<void> {
    const { id, clientId, prompt } = record;
    const messages: Array<[string, Record<string, unknown>]> = [];
    const emit = (type: string, data: Record<string, unknown>) => {
      const full = { ...data, prompt_id: id, timestamp: Date.now() };
      if (type.startsWith('execution_')) messages.push([type, full]);
      this.sendTo(
        clientId,
        type,
        type === 'executing' || type === 'progress' || type === 'executed' ? { ...data, prompt_id: id } : full,
      );
    };
    const outputs: Record<string, { images: unknown[] }> = {};
    const finish = (status: string) => {
      this.history[id] = {
        prompt: [record.number, id, prompt, { client_id: clientId }, record.outputs],
        outputs,
        status: { status_str: status, completed: status === 'success', messages },
        meta: {},
      };
      this.sendTo(clientId, 'executing', { node: null, prompt_id: id });
    };
    emit('execution_start', {});
    emit('execution_cached', { nodes: [] });
    const executed: string[] = [];
    for (const nodeId of executionOrder(prompt, record.outputs)) {
      const node = prompt[nodeId];
      emit('executing', { node: nodeId, display_node: nodeId });
      const failure = this.options.failClass;
      if (failure && node.class_type === failure.classType) {
        const { exceptionType, message } = failure;
        emit('execution_error', {
          node_id: nodeId,
          node_type: node.class_type,
          executed,
          exception_message: message,
          exception_type: exceptionType,
          traceback: ['  File "execution.py"'],
          current_inputs: {},
          current_outputs: {},
        });
        return finish('error');
      }
      const steps = node.class_type === 'KSampler' ? Number(node.inputs?.steps ?? 1) : 0;
      for (let step = 1; step <= steps; step++) {
        await new Promise((resolve) => setTimeout(resolve, this.options.stepDelayMs ?? 1));
        if (this.closed) return;
        if (this.interruptFlag) {
          emit('execution_interrupted', { node_id: nodeId, node_type: node.class_type, executed });
          return finish('error');
        }
        emit('progress', { value: step, max: steps, node: nodeId });
      }
      if (node.class_type === 'SaveImage' && !this.options.omitOutput) {
        const image = {
          filename: `qwen-edit_${String(++this.counter).padStart(5, '0')}_.png`,
          subfolder: String(node.inputs?.filename_prefix ?? '')
            .split('/')
            .slice(0, -1)
            .join('/'),
          type: 'output',
        };
        this.files.set(`output/${image.subfolder}/${image.filename}`, await this.render(prompt, nodeId));
        outputs[nodeId] = { images: [image] };
        emit('executed', { node: nodeId, display_node: nodeId, output: { images: [image] } });
      }
      executed.push(nodeId);
    }
    emit('execution_success', {});
    finish('success');
  }

  /** The fake model: the negative of the base image the output depends on, at `outputScale`. */
  private async render(prompt: Workflow, outputNode: string): Promise<Buffer> {
    const source = this.uploads.get(sourceImage(prompt, outputNode) ?? '');
    if (!source) throw new Error('no source image');
    const meta = await sharp(source).metadata();
    const scale = this.options.outputScale ?? 1;
    return sharp(source)
      .removeAlpha()
      .negate()
      .resize(Math.round(meta.width! * scale), Math.round(meta.height! * scale), { fit: 'fill' })
      .png()
      .toBuffer();
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === null) return void res.writeHead(status).end();
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
