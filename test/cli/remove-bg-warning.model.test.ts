import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { removeBgCommand } from '../../src/cli/remove-bg.js';

/** `retouch remove-bg` writes a nearly empty cutout all the same, and says so on its line and at the end. */
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retouch-remove-bg-warning-'));
  await copyFile(resolve('test/fixtures/building-facade.jpg'), join(dir, 'building-facade.jpg'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('a photo with no clear subject is written with a warning line', async () => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const code = await removeBgCommand([join(dir, 'building-facade.jpg'), '--out', join(dir, 'out')], { stdout, stderr });
  assert.equal(code, 0, 'written: a warning is not a failure');
  assert.match(out, /\[1\/1\] .*building-facade\.jpg -> .*building-facade\.png \(warning: see below\)/);
  assert.match(err, /warning .*building-facade\.jpg: the matte keeps .*% of the picture: no clear subject was found/);
  assert.match(out, /1 written \(1 with a warning\), 0 skipped/);
});
