import type { ModelEntry } from '../../engines/model-entry.js';
import { ApiError } from '../../errors.js';
import type { RawImage } from '../../imaging/raw-image.js';
import type { AppServices } from '../../services.js';
import { MAX_UPSCALE_OUTPUT_PIXELS } from '../../resources/super-resolution/upscale-scale.js';
import { chooseModel } from './model-choice.js';

/**
 * OpenAI's output fields on /v1/images/edits, mapped onto the request path. `size` is the answer's exact
 * size, as OpenAI returns it: the result is cropped to the size's ratio around the subject (the model's
 * `aspect_ratio`) and then resized to the size, enlarged when the photo is smaller (Lanczos, or the
 * super-resolution networks for a model with `enlargeWith: "super-resolution"`; the answer's
 * `x-retouch-enlarged-with` header says which). At most 16,777,216 pixels, Venice's upscale limit.
 */
export interface OpenAiSize {
  width: number;
  height: number;
  ratio: string;
}

export function parseSize(size: string | undefined, allowed: string[]): OpenAiSize | undefined {
  if (size === undefined || size === 'auto') return undefined;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  if (!match) throw paramError('size', `size must be "auto" or WIDTHxHEIGHT, not "${size}"`);
  const [width, height] = [Number(match[1]), Number(match[2])];
  if (width < 1 || height < 1) throw paramError('size', `size ${size} has no pixels`);
  if (width * height > MAX_UPSCALE_OUTPUT_PIXELS) {
    throw paramError('size', `size ${size} has more than ${MAX_UPSCALE_OUTPUT_PIXELS.toLocaleString('en-US')} pixels`);
  }
  const divisor = gcd(width, height);
  const ratio = `${width / divisor}:${height / divisor}`;
  if (!allowed.includes(ratio)) {
    throw paramError(
      'size',
      `size ${size} (${ratio}) is not supported by this model; its aspect ratios are ${allowed.join(', ')}`,
    );
  }
  return { width, height, ratio };
}

/**
 * `background: "transparent"`: the server's background-removal model cuts the edited picture out (its
 * price is added to the charge). An unavailable background-removal model refuses the request up front.
 */
export function backgroundCutter(services: AppServices): { model: ModelEntry; cutOut: (image: RawImage) => Promise<RawImage> } {
  const model = chooseModel(services, undefined, 'background-removal');
  const status = model.engine.status();
  if (!status.online)
    throw paramError(
      'background',
      `background=transparent needs the background-removal model, which is offline: ${status.reason}`,
    );
  return {
    model,
    async cutOut(image) {
      const result = await model.engine.run({
        operation: 'background-remove',
        images: [image],
        prompt: '',
        options: {},
        signal: AbortSignal.timeout(model.timeoutMs),
      });
      if (result.kind === 'raw') return result.image;
      const { data, info } = await result.pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, channels: 4 };
    },
  };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function paramError(param: string, message: string): ApiError {
  return new ApiError('INVALID_PARAMETERS', message, { body: { param } });
}
