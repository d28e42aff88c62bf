import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.js';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { EngineNotes } from '../engines/engine.js';
import { segmentationEngineFactory } from '../engines/segmentation/index.js';
import { isApiError } from '../errors.js';
import { createImageLoader } from '../inputs/index.js';
import { checkFinishOptions, finishOutput } from '../jobs/finish-output.js';
import { ResourceRegistry } from '../resources/resource-registry.js';
import { defaultSegmentationModel, segmenterResource } from '../resources/segmenter/index.js';
import { UsageError, type CliIo } from './io.js';
import { createProgress } from './progress.js';

/** Extensions picked up when a folder is given; a file named explicitly is always tried. */
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif']);

const IMAGE_LIST = [...IMAGE_EXTENSIONS].join(' ');

const USAGE = 'usage: retouch remove-bg INPUT... --out DIR [--only-mask] [--bg-color C] [--model NAME]';

/**
 * `retouch remove-bg`: the background-removal pipeline of the server, without a server, over files and
 * folders. Writes DIR/<name>.png for each photo, shows progress (a bar on a terminal, one line per photo
 * otherwise), skips and reports photos that cannot be read, and ends with a summary. Exit code 0 when
 * every photo was written, 1 when some were skipped, 2 for a usage error.
 *
 * @example await removeBgCommand(['photos/', 'extra.jpg', '--out', 'cutouts', '--bg-color', 'white'], io)
 */
export async function removeBgCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      'only-mask': { type: 'boolean', default: false },
      'bg-color': { type: 'string' },
      model: { type: 'string' },
    },
  });
  if (positionals.length === 0 || !values.out) throw new UsageError(`expected INPUT... and --out DIR\n${USAGE}`);
  const options = { onlyMask: values['only-mask'], bgColor: values['bg-color'] };
  if (options.bgColor) {
    try {
      checkFinishOptions(options);
    } catch (error) {
      throw new UsageError((error as Error).message.replace('bg_color', '--bg-color'));
    }
  }

  const files = await collectInputs(positionals, io);
  const config = loadConfig();
  // The server's own engine and finishing step, so the CLI's cutouts are the API's, byte for byte.
  const logger = pino({ level: 'silent' });
  const resources = new ResourceRegistry({ config, logger });
  const modelName = values.model ?? defaultSegmentationModel(config);
  const engine = segmentationEngineFactory.create(
    { segmentationModel: modelName },
    { config, logger, metrics: new Registry(), resources },
    'remove-bg',
  );
  const status = engine.status();
  if (!status.online) {
    io.stderr.write(`retouch remove-bg: ${status.reason}\n`);
    await resources.close();
    return 1;
  }
  const loader = createImageLoader(config.inputs);
  await mkdir(values.out, { recursive: true });
  const progress = createProgress(io, files.length);
  const names = new OutputNames();
  const failures: string[] = [];
  const warnings: string[] = [];
  const started = performance.now();
  let done = 0;

  const processOne = async (file: string) => {
    const target = join(values.out!, names.claim(file));
    try {
      const image = await loader.fromBytes(await readFile(file), basename(file));
      const signal = new AbortController().signal;
      const notes: EngineNotes = {};
      const result = await engine.run({
        operation: 'background-remove',
        images: [image],
        prompt: '',
        options: {},
        notes,
        signal,
      });
      await writeFile(target, (await finishOutput(result, options)).body);
      // Written all the same (as the API answers it), and said: the file is probably not what was wanted.
      for (const warning of notes.warnings ?? []) warnings.push(`${file}: ${warning}`);
      progress.item(++done, `${file} -> ${target}${notes.warnings?.length ? ' (warning: see below)' : ''}`);
    } catch (error) {
      const reason = isApiError(error) ? error.message : (error as Error).message;
      failures.push(`${file}: ${reason}`);
      progress.item(++done, `${file}: skipped (${reason})`);
    }
  };

  try {
    // One photo more than there are workers in flight, so decoding and encoding overlap with inference.
    const workers = resources.get(segmenterResource(modelName)).plan.workers;
    await forEachLimited(files, workers + 1, processOne);
  } finally {
    progress.stop();
    await engine.close();
    await resources.close();
  }

  const seconds = (performance.now() - started) / 1000;
  const written = files.length - failures.length;
  for (const failure of failures) io.stderr.write(`skipped ${failure}\n`);
  for (const warning of warnings) io.stderr.write(`warning ${warning}\n`);
  io.stdout.write(
    `${written} written${warnings.length ? ` (${warnings.length} with a warning)` : ''}, ${failures.length} skipped, in ${seconds.toFixed(1)} s` +
      ` (${((written / Math.max(seconds, 1e-3)) * 60).toFixed(1)} images/min) -> ${values.out}\n`,
  );
  return failures.length > 0 ? 1 : 0;
}

/** Files named directly, and image files found by recursing into folders, in a stable order. */
async function collectInputs(inputs: string[], io: CliIo): Promise<string[]> {
  const files: string[] = [];
  const walk = async (folder: string) => {
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(path);
      // Every file left out is said, with the reason, so that a PDF in the folder is not silently lost.
      else if (entry.isFile()) io.stderr.write(`skipped ${path}: not an image file name (${IMAGE_LIST})\n`);
      else io.stderr.write(`skipped ${path}: not a regular file or folder\n`);
    }
  };
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) io.stderr.write(`retouch remove-bg: ${input}: no such file or folder, ignored\n`);
    else if (info.isDirectory()) await walk(input);
    else files.push(input);
  }
  if (files.length === 0) throw new UsageError('no image files found in the inputs');
  return files;
}

/** DIR/<name>.png, with -2, -3... when two inputs share a name (same file name in two folders). */
class OutputNames {
  private readonly used = new Set<string>();
  claim(file: string): string {
    const stem = basename(file, extname(file));
    let name = `${stem}.png`;
    for (let n = 2; this.used.has(name); n++) name = `${stem}-${n}.png`;
    this.used.add(name);
    return name;
  }
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
