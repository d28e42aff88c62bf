/**
 * What provenance a stored answer carries, read from its bytes: an idempotent replay repeats the first
 * answer's bytes, so its `x-retouch-provenance` header is what those bytes hold. A marker search, not a
 * validation (that is verify.ts): the C2PA signature box's label in the file, and the digital source type
 * in its XMP packet (as sharp's metadata() gives it: PNG may hold it compressed).
 */
const C2PA_SIGNATURE = Buffer.from('c2pa.signature');
const XMP_SOURCE_TYPE = Buffer.from('Iptc4xmpExt:DigitalSourceType');

/** Whether a file holds a C2PA manifest (its signature box's label), valid or not. */
export function carriesCredentials(body: Buffer): boolean {
  return body.includes(C2PA_SIGNATURE);
}

/** @example attachedProvenance(signedPng, (await sharp(signedPng).metadata()).xmp) // 'c2pa, xmp' */
export function attachedProvenance(body: Buffer, xmp: Buffer | undefined): string | null {
  const parts = [];
  if (carriesCredentials(body)) parts.push('c2pa');
  if (xmp?.includes(XMP_SOURCE_TYPE)) parts.push('xmp');
  return parts.length > 0 ? parts.join(', ') : null;
}
