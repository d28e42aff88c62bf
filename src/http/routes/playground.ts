import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The playground's Content-Security-Policy: the page loads only its own built script and stylesheet,
 * talks only to this server (`connect-src 'self'`), shows results as `blob:` URLs, and may be framed by
 * nobody. No inline script or style is allowed, so nothing injected into the page could run.
 */
export const PLAYGROUND_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every playground response carries, the page and its assets alike. */
function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', PLAYGROUND_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
}

/**
 * Where `npm run build` puts the page (Vite's output): `<package root>/dist/web`. The package root is
 * found from this file's place, so it works from `dist/src/...` and from `src/...` under tsx alike.
 */
export function playgroundDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'web');
}

/**
 * The browser playground: the page at `/` and `/playground`, its hashed assets under `/assets/`. These
 * routes sit outside the API scope, so they need no key and are not rate-limited. Every URL inside the
 * page is relative, so it works unchanged behind a reverse proxy that adds a path prefix. When the page
 * has not been built (a checkout without `npm run build`), both routes answer 503 saying so.
 */
export async function registerPlayground(app: FastifyInstance, root = playgroundDir()): Promise<void> {
  const indexFile = join(root, 'index.html');
  const built = existsSync(indexFile);
  // Read once: the page is small and immutable for the life of the process.
  const indexHtml = built ? readFileSync(indexFile) : undefined;

  const sendPage = async (_request: unknown, reply: FastifyReply) => {
    securityHeaders(reply);
    if (!indexHtml) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The playground is not built: run `npm run build` (npm install runs it), then restart the server.\n');
    }
    // Revalidated on every load so a new release is picked up; the assets it names are hashed.
    reply.header('cache-control', 'no-cache');
    return reply.type('text/html; charset=utf-8').send(indexHtml);
  };
  app.get('/', sendPage);
  app.get('/playground', sendPage);
  // "/playground/" would make the page's relative URLs resolve one level too deep: send it to the page.
  app.get('/playground/', async (_request, reply) => reply.redirect('../playground', 301));

  if (!built) return;
  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    // File names carry a content hash, so a browser may keep them for a year.
    immutable: true,
    maxAge: '365d',
    setHeaders: (reply) => securityHeaders(reply),
  });
}
