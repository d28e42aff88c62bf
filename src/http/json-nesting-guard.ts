const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Tracks how deep a JSON text nests while it streams in, chunk by chunk, without parsing it. String
 * contents (base64 images: nearly all of a large body) are skipped with native `indexOf` searches, so
 * the cost is in the few structural bytes. It does not validate the JSON; JSON.parse does that later.
 *
 * @example
 * const guard = new JsonNestingGuard(64);
 * for await (const chunk of body) if (!guard.feed(chunk)) throw new Error('too deep');
 */
export class JsonNestingGuard {
  private depth = 0;
  private inString = false;
  /** The previous chunk ended inside a string on an unpaired backslash: the next byte is escaped. */
  private escapePending = false;

  constructor(private readonly maxDepth: number) {}

  /** Takes the next chunk; false as soon as the nesting passes the limit. */
  feed(chunk: Uint8Array): boolean {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let i = 0;
    while (i < buffer.length) {
      if (this.inString) {
        i = this.skipString(buffer, i);
        continue;
      }
      const byte = buffer[i++];
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (++this.depth > this.maxDepth) return false;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) this.depth--;
    }
    return true;
  }

  /** From `start` inside a string: the index just past its closing quote, or the chunk's end. */
  private skipString(buffer: Buffer, start: number): number {
    let i = start;
    if (this.escapePending) {
      this.escapePending = false;
      i++;
    }
    for (;;) {
      const quote = buffer.indexOf(QUOTE, i);
      if (quote < 0) {
        this.escapePending = trailingBackslashes(buffer, buffer.length, i) % 2 === 1;
        return buffer.length;
      }
      if (trailingBackslashes(buffer, quote, i) % 2 === 0) {
        this.inString = false;
        return quote + 1;
      }
      i = quote + 1;
    }
  }
}

/** How many backslashes come right before `end`, looking no further back than `floor`. */
function trailingBackslashes(buffer: Buffer, end: number, floor: number): number {
  let count = 0;
  for (let j = end - 1; j >= floor && buffer[j] === BACKSLASH; j--) count++;
  return count;
}
