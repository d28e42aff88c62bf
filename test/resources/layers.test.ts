import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

/**
 * Shared resources sit below the engines and the request path (docs/architecture.md): engines, jobs, routes
 * and the CLI use them, never the other way round, so that what two engines share cannot come to depend
 * on one of them. Reads the sources (run from the repository root), type-only imports included.
 */
const ROOT = path.resolve('src/resources');
const ABOVE = ['engines', 'jobs', 'http', 'cli'].map((folder) => path.resolve('src', folder) + path.sep);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

test('src/resources imports nothing from engines, jobs, routes or the CLI', () => {
  const files = sourceFiles(ROOT);
  assert.ok(files.length > 40, `read ${files.length} files: is the test run from the repository root?`);
  const wrong: string[] = [];
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const [, spec] of source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = path.resolve(path.dirname(file), spec as string);
      if (ABOVE.some((folder) => target.startsWith(folder))) wrong.push(`${path.relative('src', file)} -> ${spec}`);
    }
  }
  assert.deepEqual(wrong, []);
});
