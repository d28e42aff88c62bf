/**
 * The everyday prompt set (bench/prompts/everyday-set.json), as a newcomer meets it: each prompt goes through
 * the real gateway (app.inject) to POST /api/v1/image/edit with its photo from test/fixtures and no `model`,
 * so the server's default (local-edit) answers. Writes each picture, or the refusal's message, to
 * bench/out/everyday/, a contact sheet of them all (contact-sheet.png) for judging by eye, and prints a table:
 * prompt, status, the x-retouch-* notes the answer carried, and the refusal's reason.
 *
 *   npm run bench:everyday            # or: node --import tsx bench/prompts/everyday.ts [--only N,M]
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { createRealApp } from '../../test/helpers/real-app.js';

interface EverydayPrompt {
  photo: string;
  prompt: string;
  expect: 'do' | 'refuse';
}

const ROOT = new URL('../../', import.meta.url).pathname;
const OUT = join(ROOT, 'bench/out/everyday');
/** Headers every answer carries (money, model); the rest of x-retouch-* says what the engine did. */
const ROUTINE = new Set(['x-retouch-balance-after-usd', 'x-retouch-charged-usd', 'x-retouch-provenance']);

/** A header as text: URL-encoded ones decoded, plain ones ("sky 38%") as they are. */
function readable(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
const TILE = 240;

interface Outcome {
  index: number;
  item: EverydayPrompt;
  status: number;
  notes: string;
  reason: string;
  picture?: Buffer;
}

async function main(): Promise<void> {
  const set = JSON.parse(await readFile(join(ROOT, 'bench/prompts/everyday-set.json'), 'utf8')) as { prompts: EverydayPrompt[] };
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(',').map(Number)) : null;
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const { app, auth } = await createRealApp('1000', 'everyday-bench');
  const outcomes: Outcome[] = [];
  try {
    for (const [i, item] of set.prompts.entries()) {
      const index = i + 1;
      if (only && !only.has(index)) continue;
      const image = (await readFile(join(ROOT, 'test/fixtures', item.photo))).toString('base64');
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/image/edit',
        headers: auth,
        payload: { prompt: item.prompt, image },
      });
      const notes = Object.entries(res.headers)
        .filter(([k]) => k.startsWith('x-retouch-') && !ROUTINE.has(k))
        .map(([k, v]) => `${k.slice('x-retouch-'.length)}: ${readable(String(v))}`)
        .join('; ');
      const name = `${String(index).padStart(2, '0')}-${item.prompt.replace(/[^a-z0-9]+/gi, '-').slice(0, 48)}`;
      const outcome: Outcome = { index, item, status: res.statusCode, notes, reason: '' };
      if (res.statusCode === 200) {
        outcome.picture = res.rawPayload;
        await writeFile(join(OUT, `${name}.png`), res.rawPayload);
      } else {
        outcome.reason = String(res.json().error ?? res.body);
        await writeFile(join(OUT, `${name}.txt`), `${res.statusCode} ${res.body}\n`);
      }
      outcomes.push(outcome);
      printRow(outcome);
    }
  } finally {
    await app.close();
  }
  await writeFile(join(OUT, 'contact-sheet.png'), await contactSheet(outcomes));
  const done = outcomes.filter((o) => o.status === 200).length;
  console.log(`\n${done} of ${outcomes.length} answered 200; ${outcomes.length - done} refused. Pictures: ${OUT}`);
}

function printRow(o: Outcome): void {
  const cells = [
    String(o.index).padStart(2),
    o.item.photo,
    `"${o.item.prompt}"`,
    o.item.expect,
    String(o.status),
    o.notes,
    o.reason,
  ];
  console.log(`| ${cells.map((c) => c.replace(/\|/g, '/')).join(' | ')} |`);
}

/** Tiles of every answer, numbered as in the table; a refusal is a grey tile with its status. */
async function contactSheet(outcomes: Outcome[]): Promise<Buffer> {
  const cols = 6;
  const rows = Math.max(1, Math.ceil(outcomes.length / cols));
  const tiles = await Promise.all(
    outcomes.map(async (o, k) => {
      const base = o.picture
        ? sharp(o.picture).resize(TILE, TILE, { fit: 'contain', background: '#202020' }).flatten({ background: '#202020' })
        : sharp({ create: { width: TILE, height: TILE, channels: 3, background: '#606060' } });
      const label = `${o.index} ${o.status}${o.notes ? ' *' : ''}`;
      const svg = Buffer.from(
        `<svg width="${TILE}" height="${TILE}"><rect x="0" y="0" width="86" height="22" fill="black"/>` +
          `<text x="4" y="16" font-family="DejaVu Sans" font-size="14" fill="${o.status === 200 ? 'white' : 'orange'}">${label}</text></svg>`,
      );
      const input = await base
        .composite([{ input: svg }])
        .png()
        .toBuffer();
      return { input, left: (k % cols) * TILE, top: Math.floor(k / cols) * TILE };
    }),
  );
  return sharp({ create: { width: cols * TILE, height: rows * TILE, channels: 3, background: '#000000' } })
    .composite(tiles)
    .png()
    .toBuffer();
}

await main();
