import { appendFileSync } from 'node:fs';

/**
 * Module resolution hooks (run by Node on its hooks thread, see record-imports.ts) that append every
 * module URL a process resolves to the file named by RETOUCH_RECORD_IMPORTS, one per line.
 */
type Resolve = (specifier: string, context: unknown) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: unknown, next: Resolve): Promise<{ url: string }> {
  const resolved = await next(specifier, context);
  const file = process.env.RETOUCH_RECORD_IMPORTS;
  if (file) appendFileSync(file, `${resolved.url}\n`);
  return resolved;
}
