import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import sharp from 'sharp';
import { removeBgCommand } from '../../src/cli/remove-bg.js';
import { UsageError } from '../../src/cli/io.js';

function captureIo() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

describe('retouch remove-bg', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'retouch-remove-bg-'));
    await mkdir(join(dir, 'in', 'nested'), { recursive: true });
    await copyFile(resolve('test/fixtures/chelsea.png'), join(dir, 'in', 'chelsea.png'));
    await copyFile(resolve('test/fixtures/coffee.png'), join(dir, 'in', 'nested', 'coffee.png'));
    const png = await readFile(resolve('test/fixtures/coffee.png'));
    await writeFile(join(dir, 'in', 'truncated.png'), png.subarray(0, 2000));
    await writeFile(join(dir, 'in', 'notes.txt'), 'not an image, and not picked up from a folder');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('processes folders recursively, skips a bad file without stopping, and summarises', async () => {
    const { io, out, err } = captureIo();
    const code = await removeBgCommand([join(dir, 'in'), '--out', join(dir, 'out')], io);
    assert.equal(code, 1, 'one photo was skipped');
    assert.deepEqual((await readdir(join(dir, 'out'))).sort(), ['chelsea.png', 'coffee.png']);
    for (const [name, width, height] of [
      ['chelsea.png', 451, 300],
      ['coffee.png', 600, 400],
    ] as const) {
      const meta = await sharp(join(dir, 'out', name)).metadata();
      assert.deepEqual([meta.width, meta.height, meta.channels], [width, height, 4]);
    }
    assert.match(out(), /\[\d\/3\] .*chelsea\.png -> /);
    assert.match(out(), /truncated\.png: skipped \(/);
    assert.match(out(), /2 written, 1 skipped, in [\d.]+ s \([\d.]+ images\/min\)/);
    assert.match(err(), /skipped .*truncated\.png: /);
    assert.ok(!/notes\.txt/.test(out()));
    assert.match(err(), /skipped .*notes\.txt: not an image file name/, 'a file left out of a folder is reported');
  });

  test('--only-mask writes one-channel mattes', async () => {
    const { io } = captureIo();
    const code = await removeBgCommand([join(dir, 'in', 'chelsea.png'), '--out', join(dir, 'masks'), '--only-mask'], io);
    assert.equal(code, 0);
    const meta = await sharp(join(dir, 'masks', 'chelsea.png')).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels], [451, 300, 1]);
  });

  test('usage errors are reported before any model is loaded', async () => {
    const { io } = captureIo();
    await assert.rejects(removeBgCommand([join(dir, 'in')], io), UsageError);
    await assert.rejects(removeBgCommand([join(dir, 'in'), '--out', dir, '--bg-color', 'blurple'], io), /--bg-color/);
    await assert.rejects(removeBgCommand([join(dir, 'nothing-here'), '--out', dir], io), /no image files/);
  });
});
