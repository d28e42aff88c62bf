import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

/**
 * local-edit's folders are layers (docs/local-edit.md, "Code layout"): a file may import from its own folder
 * or from a lower layer, never from a higher one, and nothing may import in a circle. A new folder must be
 * given its place here before anything in it can pass. Reads the sources (the tests run from the repository
 * root), so it checks the code as written, type-only imports included.
 */
const ROOT = path.resolve('src/engines/local-edit');

/** Lowest first. Folders of the same rank are independent of each other. */
const RANK: Record<string, number> = {
  plan: 0, // the edit plan as data: what the other layers hand each other
  tools: 0, // what it borrows: thing finders (detectors, segmenter masks), the upscale step
  vocabulary: 1, // the published instructions and the grammar they are written with
  prompt: 2, // understanding a prompt: text, clauses, parser, suggestions, complaints, constraints, refusals
  resolve: 3, // binding a plan to the request's layers and checking it can run
  run: 4, // carrying the plan out on the pixels
  '.': 5, // the kit's shape: index.ts, options.ts, engine.ts
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The files of local-edit that `file` imports (static, re-exports and dynamic imports; relative specifiers only). */
function localImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] as string);
  return specifiers
    .map((spec) => path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')))
    .filter((target) => target.startsWith(ROOT + path.sep));
}

const layerOf = (file: string) => path.dirname(path.relative(ROOT, file)).split(path.sep)[0] as string;
const name = (file: string) => path.relative(ROOT, file);

const files = sourceFiles(ROOT);
const graph = new Map(files.map((file) => [file, localImports(file)]));

test('every folder of local-edit has a place among the layers', () => {
  const unknown = [...new Set(files.map(layerOf))].filter((layer) => !(layer in RANK));
  assert.deepEqual(unknown, [], 'give the new folder a rank in RANK (and in docs/local-edit.md)');
  assert.ok(files.length > 30, `read ${files.length} files: is the test run from the repository root?`);
});

test('imports run down the layers of local-edit, never up or sideways', () => {
  const wrong: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const from = layerOf(file);
      const to = layerOf(target);
      if (from !== to && !((RANK[to] ?? Infinity) < (RANK[from] ?? -Infinity))) {
        wrong.push(`${name(file)} -> ${name(target)}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

test('local-edit has no import cycles', () => {
  const cycles: string[] = [];
  const done = new Set<string>();
  const visit = (file: string, trail: string[]) => {
    const at = trail.indexOf(file);
    if (at >= 0) {
      cycles.push([...trail.slice(at), file].map(name).join(' -> '));
      return;
    }
    if (done.has(file)) return;
    for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
    done.add(file);
  };
  for (const file of files) visit(file, []);
  assert.deepEqual(cycles, []);
});
