import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A real nginx (Debian's package) in the foreground, on loopback, running the repository's
 * deploy/nginx/retouch.conf with only its ports changed: the replica list and the `listen` address.
 * Everything nginx writes (pid, logs, temporary bodies) stays in a temporary folder.
 */
export class NginxProxy {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly exited: Promise<unknown>,
  ) {}

  static async start(replicaPorts: number[]): Promise<NginxProxy> {
    const dir = mkdtempSync(join(tmpdir(), 'retouch-nginx-'));
    const port = await freePort();
    writeFileSync(
      join(dir, 'retouch.conf'),
      adaptSite(readFileSync(resolve('deploy/nginx/retouch.conf'), 'utf8'), port, replicaPorts),
    );
    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
    writeFileSync(
      join(dir, 'nginx.conf'),
      `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/retouch.conf;
}
`,
    );
    const child = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise((done) => child.once('exit', done));
    const url = `http://127.0.0.1:${port}`;
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${output}`);
      const up = await fetch(`${url}/healthz`).then(
        (res) => res.ok,
        () => false,
      );
      if (up) break;
      if (attempt > 100) throw new Error(`nginx did not answer: ${output}`);
      await sleep(100);
    }
    return new NginxProxy(url, child, dir, exited);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGQUIT');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The site file with the test's ports; fails if the file no longer has the lines it changes. */
export function adaptSite(site: string, listenPort: number, replicaPorts: number[]): string {
  const replicaLine = /^(\s*)server 127\.0\.0\.1:\d+( [^;]*)?;$/gm;
  const lines = site.match(replicaLine);
  if (!lines || lines.length === 0) throw new Error('deploy/nginx/retouch.conf lists no replica as `server 127.0.0.1:PORT ...;`');
  const [indent, options] = /^(\s*)server 127\.0\.0\.1:\d+((?: [^;]*)?);$/.exec(lines[0])!.slice(1);
  let first = true;
  const withReplicas = site.replace(replicaLine, () => {
    if (!first) return '';
    first = false;
    return replicaPorts.map((port) => `${indent}server 127.0.0.1:${port}${options};`).join('\n');
  });
  const listen = /^(\s*)listen 127\.0\.0\.1:\d+;$/m;
  if (!listen.test(withReplicas)) throw new Error('deploy/nginx/retouch.conf has no `listen 127.0.0.1:PORT;` line');
  return withReplicas.replace(listen, `$1listen 127.0.0.1:${listenPort};`);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
