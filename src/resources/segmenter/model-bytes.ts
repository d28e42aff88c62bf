import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ModelUnavailableError } from '../onnx/model-unavailable.js';
import type { ModelSource } from './segmentation-models.js';

interface ResourceEntry {
  size: number;
  chunks: Array<{ hash: string; offsets: [number, number] }>;
}

/** The installed data package's folder, or null when it is not installed. */
function dataPackageDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('@imgly/background-removal-data/package.json')), 'dist');
  } catch {
    return null;
  }
}

/**
 * Reads a model into memory and checks it: package models are assembled from their chunks, each checked
 * for size, then the whole for size and SHA-256. Nothing is ever downloaded.
 *
 * @example const bytes = await loadModelBytes(BUILTIN_SEGMENTATION_MODELS.isnet.source); // 88 MB, verified
 */
export async function loadModelBytes(source: ModelSource): Promise<Uint8Array> {
  const bytes = source.kind === 'package' ? await assembleChunks(source) : await readModelFile(source.path);
  const expected = source.sha256;
  if (expected) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== expected) {
      throw new ModelUnavailableError('the model data failed its integrity check', `sha256 ${actual}, expected ${expected}`);
    }
  }
  return bytes;
}

/**
 * A cheap, synchronous check for `status()` (a few stat calls, once): the files are there with the right
 * sizes. The digest is checked when a worker loads the model; a mismatch then turns the status offline.
 */
export function checkModelFiles(source: ModelSource): void {
  if (source.kind === 'file') {
    const info = statSync(source.path, { throwIfNoEntry: false });
    if (!info?.isFile()) throw new ModelUnavailableError('the model file was not found', source.path);
    return;
  }
  const { dir, entry } = readResourceEntry(source);
  for (const chunk of entry.chunks) {
    const info = statSync(join(dir, chunk.hash), { throwIfNoEntry: false });
    if (info?.size !== chunk.offsets[1] - chunk.offsets[0]) {
      throw new ModelUnavailableError('the model data is incomplete', `chunk ${chunk.hash} missing or of the wrong size`);
    }
  }
}

async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new ModelUnavailableError('the model file could not be read', `${path}: ${(error as Error).message}`);
  }
}

function readResourceEntry(source: Extract<ModelSource, { kind: 'package' }>): { dir: string; entry: ResourceEntry } {
  const dir = dataPackageDir();
  if (!dir) {
    throw new ModelUnavailableError(
      'the model data is not installed',
      '@imgly/background-removal-data is missing (run npm install)',
    );
  }
  let resources: Record<string, ResourceEntry>;
  try {
    resources = JSON.parse(readFileSync(join(dir, 'resources.json'), 'utf8'));
  } catch (error) {
    throw new ModelUnavailableError('the model data is not installed', `resources.json: ${(error as Error).message}`);
  }
  const entry = resources[source.resource];
  if (!entry || entry.size !== source.size) {
    throw new ModelUnavailableError(
      'the model data is not the expected version',
      `${source.resource}: size ${entry?.size ?? 'none'}, expected ${source.size}`,
    );
  }
  return { dir, entry };
}

async function assembleChunks(source: Extract<ModelSource, { kind: 'package' }>): Promise<Uint8Array> {
  const { dir, entry } = readResourceEntry(source);
  const bytes = new Uint8Array(entry.size);
  for (const chunk of entry.chunks) {
    const [start, end] = chunk.offsets;
    const data = await readFile(join(dir, chunk.hash)).catch(() => null);
    if (!data || data.length !== end - start || end > entry.size) {
      throw new ModelUnavailableError('the model data is incomplete', `chunk ${chunk.hash} missing or of the wrong size`);
    }
    bytes.set(data, start);
  }
  return bytes;
}
