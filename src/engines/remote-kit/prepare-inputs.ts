import { ApiError } from '../../errors.js';
import { MAX_INPUT_PIXELS, PNG_OPTIONS, sharpFromRaw, type RawImage } from '../../imaging/raw-image.js';
import type { EngineRequest } from '../engine.js';
import { editWeights, maskConvention, unionWeights } from './mask-layers.js';
import type { ImageDefaults } from './options.js';
import type { ImagingPool } from '../../imaging/worker-pool.js';

/** One input image as it is sent to a backend: PNG bytes at the size the backend's model accepts. */
export interface SentImage {
  role: 'base' | 'mask' | 'layer';
  png: Buffer;
  width: number;
  height: number;
}

/** A request made ready for any backend, and what is needed to turn the backend's answer into ours. */
export interface PreparedInputs {
  /** The base image cropped to the requested aspect ratio: the geometry and the pixels of the answer. */
  frame: RawImage;
  /** Edit strength per frame pixel (0 = keep the original exactly) when the request carries a mask layer. */
  maskWeights?: Uint8Array;
  /** Every input in request order, normalised; backends pick the roles they can use. */
  images: SentImage[];
}

export interface PrepareSettings extends ImageDefaults {
  /** Inward feathering of mask edges, as a fraction of the frame's shorter side. */
  maskFeather: number;
}

/**
 * Normalises a request's images for a backend: the base is cropped to `aspect_ratio` (centred), every
 * image is scaled down to the backend's pixel budget with sides on its grid, mask layers are recognised
 * and brought onto the base's geometry, and each is encoded as PNG under the upload cap.
 *
 * @example const inputs = await prepareInputs(request, { maxPixels: 1 << 20, multipleOf: 16, maxUploadBytes: 20e6, maskFeather: 0.003 }, pool);
 */
export async function prepareInputs(
  request: EngineRequest,
  settings: PrepareSettings,
  pool: ImagingPool,
): Promise<PreparedInputs> {
  const work = { pool, signal: request.signal };
  const [original, ...layers] = request.images;
  if (!original) throw new ApiError('INVALID_PARAMETERS', 'At least one image is required');
  const frame = await cropToRatio(original, request.aspectRatio);
  // Layers are read as masks only in multi-edit (an edit has one image), unless the client says so.
  const conventions = await Promise.all(
    layers.map((layer, i) => {
      const wanted = request.options.layerRoles?.[i] ?? 'auto';
      if (request.operation !== 'multi-edit' && wanted === 'auto') return null;
      return maskConvention(layer, original, wanted, work);
    }),
  );
  const roles = conventions.map((convention) => (convention ? 'mask' : 'layer'));
  const featherPx = Math.round(settings.maskFeather * Math.min(frame.width, frame.height));
  const masks = layers.flatMap((layer, i) => (conventions[i] ? [{ layer, convention: conventions[i] }] : []));
  const maskFrames = await Promise.all(masks.map(({ layer }) => alignToFrame(layer, original, request.aspectRatio)));
  const maskWeights = unionWeights(
    await Promise.all(
      maskFrames.map((mask, i) => editWeights(mask, masks[i].convention, frame.width, frame.height, featherPx, work)),
    ),
  );

  const base = await encodeForBackend(frame, 'base', settings);
  const images: SentImage[] = [base];
  let maskIndex = 0;
  for (const [i, layer] of layers.entries()) {
    images.push(
      roles[i] === 'mask'
        ? await encodeAt(maskFrames[maskIndex++], 'mask', base.width, base.height)
        : await encodeForBackend(layer, 'layer', settings),
    );
  }
  return { frame, maskWeights, images };
}

/** The centred crop of `image` with the ratio `w:h`, or the image itself for `auto` or no ratio. */
async function cropToRatio(image: RawImage, aspectRatio?: string): Promise<RawImage> {
  const box = ratioBox(image, aspectRatio);
  if (!box) return image;
  const { data, info } = await sharpFromRaw(image).extract(box).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 3 | 4 };
}

function ratioBox(image: RawImage, aspectRatio?: string) {
  const match = aspectRatio?.match(/^(\d+):(\d+)$/);
  if (!match) return undefined;
  const ratio = Number(match[1]) / Number(match[2]);
  const width = Math.min(image.width, Math.round(image.height * ratio));
  const height = Math.min(image.height, Math.round(image.width / ratio));
  if (width === image.width && height === image.height) return undefined;
  return {
    left: Math.floor((image.width - width) / 2),
    top: Math.floor((image.height - height) / 2),
    width,
    height,
  };
}

/** A mask layer stretched onto the base (masks of another size cover the same picture) and cropped like it. */
async function alignToFrame(mask: RawImage, base: RawImage, aspectRatio?: string): Promise<RawImage> {
  const box = ratioBox(base, aspectRatio);
  const sameSize = mask.width === base.width && mask.height === base.height;
  if (sameSize && !box) return mask;
  let aligned = mask;
  if (!sameSize) {
    aligned = await toRaw(sharpFromRaw(mask).resize(base.width, base.height, { fit: 'fill', kernel: 'linear' }), mask.channels);
  }
  return box ? toRaw(sharpFromRaw(aligned).extract(box), mask.channels) : aligned;
}

async function toRaw(pipeline: ReturnType<typeof sharpFromRaw>, channels: 3 | 4): Promise<RawImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels };
}

/** The size within the pixel budget, on the grid, never larger than the image. */
export function targetSize(width: number, height: number, maxPixels: number, multipleOf: number) {
  const scale = Math.min(1, Math.sqrt(maxPixels / (width * height)));
  const snap = (side: number) => Math.max(multipleOf, Math.floor((side * scale) / multipleOf) * multipleOf);
  return { width: snap(width), height: snap(height) };
}

async function encodeForBackend(image: RawImage, role: SentImage['role'], settings: ImageDefaults): Promise<SentImage> {
  let budget = Math.min(settings.maxPixels, MAX_INPUT_PIXELS);
  for (let tries = 0; ; tries++) {
    const size = targetSize(image.width, image.height, budget, settings.multipleOf);
    const sent = await encodeAt(image, role, size.width, size.height);
    if (sent.png.length <= settings.maxUploadBytes || tries >= 4) return sent;
    // PNG size grows about linearly with pixels; aim a little under the cap.
    budget = Math.floor(size.width * size.height * (settings.maxUploadBytes / sent.png.length) * 0.9);
  }
}

async function encodeAt(image: RawImage, role: SentImage['role'], width: number, height: number): Promise<SentImage> {
  let pipeline = sharpFromRaw(image);
  if (width !== image.width || height !== image.height) {
    pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: role === 'mask' ? 'linear' : 'lanczos3' });
  }
  const png = await pipeline.png(PNG_OPTIONS).toBuffer();
  return { role, png, width, height };
}
