import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeBase64Image, isDataUri } from '../../src/inputs/base64.js';
import { ApiError } from '../../src/errors.js';

const MB = 1024 * 1024;
const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0x10, 0xfe, 0xfb]);
const plain = bytes.toString('base64');

function rejects(value: string, code: string, message: RegExp, maxBytes = 25 * MB): void {
  assert.throws(
    () => decodeBase64Image(value, 'images[1]', maxBytes),
    (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.code, code);
      assert.match(error.message, message);
      assert.match(error.message, /^images\[1\] /, 'the message names the field');
      return true;
    },
  );
}

describe('decodeBase64Image', () => {
  test('decodes plain base64', () => {
    assert.deepEqual(decodeBase64Image(plain, 'image', MB), bytes);
  });

  test('decodes a data URI, whatever media type it declares', () => {
    assert.deepEqual(decodeBase64Image(`data:image/png;base64,${plain}`, 'image', MB), bytes);
    assert.deepEqual(decodeBase64Image(`DATA:image/jpeg;charset=x;BASE64,${plain}`, 'image', MB), bytes);
    assert.deepEqual(decodeBase64Image(`data:;base64,${plain}`, 'image', MB), bytes);
  });

  test('ignores whitespace and line breaks, as wrapped base64 tools produce', () => {
    const wrapped = `${plain.replace(/(.{4})/g, '$1\n')}\r\n`;
    assert.deepEqual(decodeBase64Image(`  ${wrapped}`, 'image', MB), bytes);
    assert.deepEqual(decodeBase64Image(`data:image/png;base64,\n${wrapped.replace(/\n/g, ' \t')}`, 'image', MB), bytes);
  });

  test('accepts unpadded and URL-safe base64', () => {
    assert.deepEqual(decodeBase64Image(plain.replace(/=+$/, ''), 'image', MB), bytes);
    assert.deepEqual(decodeBase64Image(bytes.toString('base64url'), 'image', MB), bytes);
  });

  test('refuses empty values with a 400', () => {
    rejects('', 'INVALID_PARAMETERS', /is empty/);
    rejects(' \n ', 'INVALID_PARAMETERS', /is empty/);
    rejects('data:image/png;base64,', 'INVALID_PARAMETERS', /is empty/);
  });

  test('refuses garbage with a 400', () => {
    rejects('not base64!', 'INVALID_PARAMETERS', /not valid base64/);
    rejects('abcde', 'INVALID_PARAMETERS', /not valid base64/); // a length no base64 text can have
    rejects('ab=cd', 'INVALID_PARAMETERS', /not valid base64/);
    rejects('{"image": 1}', 'INVALID_PARAMETERS', /not valid base64/);
  });

  test('refuses data URIs that are not base64 or are malformed', () => {
    rejects('data:image/svg+xml,<svg/>', 'INVALID_PARAMETERS', /base64 data URI/);
    rejects('data:image/png;base64', 'INVALID_PARAMETERS', /malformed data URI/);
  });

  test('refuses an image at or over the byte limit with a 413, before decoding it', () => {
    const limit = 300;
    const atLimit = Buffer.alloc(limit).toString('base64');
    const underLimit = Buffer.alloc(limit - 1).toString('base64');
    assert.equal(decodeBase64Image(underLimit, 'image', limit).length, limit - 1);
    rejects(atLimit, 'PAYLOAD_TOO_LARGE', /too large: each image must be under 300 bytes/, limit);
    rejects(`data:image/png;base64,${atLimit}`, 'PAYLOAD_TOO_LARGE', /too large/, limit);
  });

  test('a huge string is refused without being decoded', () => {
    const huge = 'A'.repeat(40 * MB);
    const before = process.memoryUsage().arrayBuffers;
    rejects(huge, 'PAYLOAD_TOO_LARGE', /under 25 MB/);
    // Decoding would have allocated about 30 MB of Buffer memory.
    assert.ok(process.memoryUsage().arrayBuffers - before < 10 * MB);
  });
});

test('isDataUri tells data URIs from base64 and URLs', () => {
  assert.equal(isDataUri('data:image/png;base64,AAAA'), true);
  assert.equal(isDataUri('  Data:image/png;base64,AAAA'), true);
  assert.equal(isDataUri('AAAA'), false);
  assert.equal(isDataUri('https://example.com/a.png'), false);
});
