import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../src/errors.js';
import { createImageLoader, type ImageLoaderOptions } from '../../src/inputs/index.js';
import { fixture, solid } from './make-images.js';

const OPTIONS: ImageLoaderOptions = {
  maxImageBytes: 25 * 1024 * 1024,
  fetch: { allow: [], connectTimeoutMs: 1_000, totalTimeoutMs: 2_000, maxRedirects: 3 },
};

function expectError(code: string, status: number, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    assert.match(error.message, message);
    return true;
  };
}

describe('ImageLoader.fromString', () => {
  const loader = createImageLoader(OPTIONS);
  const png = fixture('chelsea.png');

  test('plain base64, a data URI and wrapped base64 all give the same image', async () => {
    const base64 = png.toString('base64');
    for (const value of [base64, `data:image/png;base64,${base64}`, `\n${base64.replace(/(.{76})/g, '$1\r\n')}\n`]) {
      const image = await loader.fromString(value, 'image', { allowUrl: false });
      assert.deepEqual([image.width, image.height, image.channels], [451, 300, 3]);
    }
  });

  test('empty values and garbage are 400s naming the field', async () => {
    await assert.rejects(
      loader.fromString('', 'image', { allowUrl: true }),
      expectError('INVALID_PARAMETERS', 400, /^image is empty/),
    );
    await assert.rejects(
      loader.fromString('  ', 'images[0]', { allowUrl: true }),
      expectError('INVALID_PARAMETERS', 400, /^images\[0\] is empty/),
    );
    await assert.rejects(
      loader.fromString('%%% definitely not an image %%%', 'images[1]', { allowUrl: false }),
      expectError('INVALID_PARAMETERS', 400, /^images\[1\] is not valid base64/),
    );
    // Valid base64 of bytes that are no image.
    await assert.rejects(
      loader.fromString(Buffer.from('just some text, no image at all').toString('base64'), 'image', { allowUrl: false }),
      expectError('INVALID_IMAGE', 400, /^image is not a recognised image; expected JPEG, PNG, WebP, AVIF, GIF or TIFF/),
    );
  });

  test('an SVG data URI is refused by content', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500"/>').toString('base64');
    await assert.rejects(
      loader.fromString(`data:image/png;base64,${svg}`, 'image', { allowUrl: false }),
      expectError('INVALID_IMAGE', 400, /SVG/),
    );
  });

  test('URLs are refused where the route does not allow them', async () => {
    await assert.rejects(
      loader.fromString('https://example.com/cat.png', 'image', { allowUrl: false }),
      expectError('INVALID_PARAMETERS', 400, /^image must be base64 image data or a data: URI; URLs are not accepted here/),
    );
  });

  test('only http and https URLs are fetched', async () => {
    for (const url of [
      'ftp://example.com/cat.png',
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_INFO',
      'javascript:alert(1)',
    ]) {
      await assert.rejects(
        loader.fromString(url, 'image', { allowUrl: true }),
        expectError('IMAGE_FETCH_FAILED', 400, /^image URL must use http or https$/),
        url,
      );
    }
  });

  test('a URL to a loopback or private literal address is refused before any connection', async () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://[::1]:8080/a.png',
      'http://10.0.0.1/',
      'http://[::ffff:169.254.169.254]/',
      'http://2130706433/',
    ]) {
      await assert.rejects(
        loader.fromString(url, 'image', { allowUrl: true }),
        expectError(
          'IMAGE_FETCH_FAILED',
          400,
          /^image URL points to a private or reserved address; a server operator can allow such hosts with RETOUCH_FETCH_ALLOW \(inputs\.fetch\.allow\)$/,
        ),
        url,
      );
    }
  });

  test('an oversized base64 image is a 413', async () => {
    const small = createImageLoader({ ...OPTIONS, maxImageBytes: 200 * 1024 }); // chelsea.png is 235 KB
    await assert.rejects(
      small.fromString(png.toString('base64'), 'image', { allowUrl: false }),
      expectError('PAYLOAD_TOO_LARGE', 413, /^image is too large: each image must be under 200 KB$/),
    );
  });
});

describe('ImageLoader.fromBytes', () => {
  test('decodes an upload', async () => {
    const image = await createImageLoader(OPTIONS).fromBytes(fixture('rocket.jpg'), 'image');
    assert.deepEqual([image.width, image.height, image.channels], [640, 427, 3]);
  });

  test('refuses an upload at the byte limit with a 413 and one just under it is decoded', async () => {
    const png = await solid(300, 300);
    const loader = createImageLoader({ ...OPTIONS, maxImageBytes: png.length });
    await assert.rejects(loader.fromBytes(png, 'images[2]'), expectError('PAYLOAD_TOO_LARGE', 413, /^images\[2\] is too large/));
    const roomier = createImageLoader({ ...OPTIONS, maxImageBytes: png.length + 1 });
    assert.equal((await roomier.fromBytes(png, 'image')).width, 300);
  });

  test('a zero-byte upload is a 400', async () => {
    await assert.rejects(
      createImageLoader(OPTIONS).fromBytes(Buffer.alloc(0), 'image'),
      expectError('INVALID_IMAGE', 400, /^image is empty/),
    );
  });
});

test('createImageLoader refuses a malformed allow entry at start', () => {
  assert.throws(
    () => createImageLoader({ ...OPTIONS, fetch: { ...OPTIONS.fetch, allow: ['10.0.0.0/40'] } }),
    /Expected a host name or CIDR range for inputs\.fetch\.allow\[0\]/,
  );
});
