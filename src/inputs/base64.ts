import { ApiError } from '../errors.js';
import { assertUnderByteLimit } from './limits.js';

const DATA_URI = /^data:([^,]*),/i;
const WHITESPACE = /\s/;
const WHITESPACE_ALL = /\s+/g;
/** Standard and URL-safe alphabets, optional padding; Buffer decodes both. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Whether a JSON string value is a `data:` URI rather than plain base64 or a URL. */
export function isDataUri(value: string): boolean {
  return /^\s*data:/i.test(value);
}

/**
 * Decodes an image sent as text: plain base64 or a `data:<type>;base64,` URI, with any whitespace or
 * line breaks (as `base64` tools wrap at 76 columns). The decoded size is computed from the text and
 * checked against `maxBytes` before anything is decoded, so an oversized string costs no allocation.
 * The media type in a data URI is ignored: the format is decided later from the bytes themselves.
 *
 * @example decodeBase64Image('data:image/png;base64,iVBORw0KGgo...', 'image', 25 * 1024 * 1024)
 */
export function decodeBase64Image(value: string, field: string, maxBytes: number): Buffer {
  let text = value;
  const dataUri = DATA_URI.exec(text.trimStart());
  if (dataUri) {
    const parameters = dataUri[1].split(';').map((part) => part.trim().toLowerCase());
    if (!parameters.includes('base64')) {
      throw new ApiError('INVALID_PARAMETERS', `${field} must be a base64 data URI (data:image/...;base64,...)`);
    }
    text = text.trimStart().slice(dataUri[0].length);
  } else if (isDataUri(text)) {
    throw new ApiError('INVALID_PARAMETERS', `${field} is a malformed data URI`);
  }

  if (WHITESPACE.test(text)) text = text.replace(WHITESPACE_ALL, '');
  if (text.length === 0) throw new ApiError('INVALID_PARAMETERS', `${field} is empty`);
  if (!BASE64.test(text) || unpaddedLength(text) % 4 === 1) {
    throw new ApiError('INVALID_PARAMETERS', `${field} is not valid base64 image data`);
  }

  assertUnderByteLimit(decodedLength(text), maxBytes, field);
  return Buffer.from(text, 'base64');
}

/** Exact number of bytes `text` (validated base64, no whitespace) decodes to. */
function decodedLength(text: string): number {
  return Math.floor((unpaddedLength(text) * 3) / 4);
}

function unpaddedLength(text: string): number {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d /* = */) end--;
  return end;
}
