import sharp from 'sharp';
import { carriesCredentials } from './attached.js';
import { asBlob, C2PA_FORMATS, c2pa } from './c2pa-runtime.js';
import { signClaim } from './cose-sign1.js';
import { joinImageData } from './png-chunks.js';
import type { LoadedCredentials } from './credentials.js';
import { BUILDER_SETTINGS, ingredientLabel, type ManifestFacts, manifestDefinition } from './manifest.js';

/** Input formats the library can open as ingredients (and whose own manifests it can carry over). */
const INGREDIENT_MIME: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
};

export type SignedFormat = keyof typeof C2PA_FORMATS;

/**
 * Signs answers with the operator's credentials: the manifest of what was done is built, the inputs are
 * added as ingredients (an input that carries Content Credentials keeps them, as the ingredient's
 * manifest), and the manifest is embedded into the encoded picture with a hash of every other byte.
 *
 * The library's work is synchronous WebAssembly on the calling thread (hashing the file and rewriting it:
 * 3 to 12 ms for a 1 MP answer at best on the shared machine, bench/provenance/NOTES.md#what-signing-costs-an-answer),
 * and compiling it takes about half a second, so the server warms it up as it starts.
 */
export class ContentCredentials {
  private readonly signer;

  constructor(
    readonly credentials: LoadedCredentials,
    private readonly version: string,
  ) {
    this.signer = {
      alg: credentials.algorithm,
      reserveSize: credentials.reserveSize,
      sign: async (claim: Uint8Array) => signClaim(credentials, claim) as Uint8Array<ArrayBuffer>,
    };
  }

  /**
   * @example const signed = await credentials.sign(pngBytes, 'png', { model, actions, inputs: [{ bytes, mime: 'image/jpeg' }] });
   */
  async sign(body: Buffer, format: SignedFormat, facts: ManifestFacts): Promise<Buffer> {
    const { WasmBuilder } = c2pa();
    const mime = C2PA_FORMATS[format];
    const builder = WasmBuilder.fromJson(JSON.stringify(manifestDefinition(facts, mime, this.version)), BUILDER_SETTINGS);
    try {
      for (const [index, input] of facts.inputs.entries()) {
        const ingredient = {
          title: `input-${index + 1}`,
          relationship: index === 0 ? 'parentOf' : 'componentOf',
          label: ingredientLabel(index),
        };
        // Only an input with Content Credentials of its own is handed over whole, its manifests carried
        // into ours with their metadata assertions (a camera's EXIF, GPS included) redacted, as the input's
        // own EXIF is dropped from the picture. Any other input is described (the library would read and
        // hash all of its up to 25 MB to record nothing more than its format), and so is one whose
        // manifest cannot be read (damaged, or from a newer spec).
        const redact = carriesCredentials(input.bytes)
          ? await metadataAssertions(input.bytes, input.mime).catch(() => null)
          : null;
        const carried =
          redact !== null &&
          (await builder.addIngredientFromBlob(JSON.stringify(ingredient), input.mime, asBlob(input.bytes)).then(
            () => true,
            () => false,
          ));
        if (carried) {
          for (const uri of redact) builder.addRedaction(uri, 'c2pa.PII.present');
        } else {
          builder.addIngredient(JSON.stringify({ ...ingredient, format: input.mime }));
        }
      }
      const source = format === 'png' ? joinImageData(body) : body;
      const signed = await builder.sign(this.signer, [], mime, asBlob(source));
      return Buffer.from(signed.buffer, signed.byteOffset, signed.byteLength);
    } finally {
      builder.free();
    }
  }

  /** Compiles the library and runs one signature, so the first client does not wait for it (about 0.5 s). */
  async warmUp(): Promise<void> {
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    const model = { id: 'warm-up', engine: 'none', generative: false, upscaler: false };
    await this.sign(tiny, 'png', { model, actions: [], inputs: [{ bytes: tiny, mime: 'image/png' }] });
  }
}

/** The MIME type of an input format the library can take as an ingredient, or null. */
export function ingredientMime(format: string): string | null {
  return INGREDIENT_MIME[format] ?? null;
}

/** Assertions that describe the capture (EXIF, IPTC, location): what C2PA calls metadata. */
const METADATA_ASSERTION = /^(stds\.exif|stds\.iptc|c2pa\.metadata|cawg\.metadata)/;

/** JUMBF URIs of every metadata assertion in a file's manifests (the active one and its ingredients'). */
async function metadataAssertions(bytes: Buffer, mime: string): Promise<string[]> {
  const reader = await c2pa().WasmReader.fromBytes(mime, bytes);
  try {
    const manifests = (
      reader.manifestStore() as { manifests?: Record<string, { assertions?: Array<{ label: string; instance?: number }> }> }
    ).manifests;
    return Object.entries(manifests ?? {}).flatMap(([manifest, { assertions = [] }]) =>
      assertions
        .filter(({ label }) => METADATA_ASSERTION.test(label))
        .map(
          ({ label, instance }) =>
            `self#jumbf=/c2pa/${manifest}/c2pa.assertions/${label}${instance && instance > 1 ? `__${instance - 1}` : ''}`,
        ),
    );
  } finally {
    reader.free();
  }
}
