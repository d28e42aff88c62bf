import { Piscina } from 'piscina';
import { sharpFromRaw, type RawImage } from '../imaging/raw-image.js';
import { WORKER_EXEC_ARGV, workerFile } from '../util/worker-file.js';
import type { ClassProbabilities, ClassifyMessage } from './nsfw/nsfw-worker.js';
import type { ResourceKey, SharedResource } from './resource-registry.js';

/**
 * Safe mode for generative backends that cannot blur by themselves (ComfyUI, OpenAI-compatible servers):
 * each output is classified by nsfwjs's MobileNetV2 (5 classes: Drawing, Hentai, Neutral, Porn, Sexy) in
 * one worker thread, and the request path blurs what is flagged and answers `x-venice-is-blurred: true`.
 * Created on the first request that needs it; local engines never ask (they invent no content).
 *
 * Flagged: P(Porn) + P(Hentai) >= 0.5, or P(Sexy) >= 0.8 (explicit content, or strongly suggestive).
 */
export interface NsfwClassifier extends SharedResource {
  /** The class probabilities of the picture (it is shrunk to the model's 224 x 224 input). */
  classify(image: RawImage): Promise<ClassProbabilities>;
  /** Whether safe mode must blur the picture. */
  isExplicit(image: RawImage): Promise<boolean>;
}

export const EXPLICIT_THRESHOLD = 0.5;
export const SUGGESTIVE_THRESHOLD = 0.8;

/** The rule above, on the classifier's probabilities. */
export function isFlagged(p: ClassProbabilities): boolean {
  return p.Porn + p.Hentai >= EXPLICIT_THRESHOLD || p.Sexy >= SUGGESTIVE_THRESHOLD;
}

class WorkerNsfwClassifier implements NsfwClassifier {
  private readonly piscina = new Piscina({
    execArgv: WORKER_EXEC_ARGV,
    filename: workerFile(import.meta.url, './nsfw/nsfw-worker'),
    minThreads: 0,
    maxThreads: 1,
    // The model stays loaded in its thread between requests.
    idleTimeout: Number.POSITIVE_INFINITY,
  });

  async classify(image: RawImage): Promise<ClassProbabilities> {
    const pixels = await sharpFromRaw(image)
      .flatten({ background: '#ffffff' })
      .resize(224, 224, { fit: 'fill', kernel: 'lanczos3' })
      .removeAlpha()
      .raw()
      .toBuffer();
    const message: ClassifyMessage = { pixels: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.length) };
    return (await this.piscina.run(message)) as ClassProbabilities;
  }

  async isExplicit(image: RawImage): Promise<boolean> {
    return isFlagged(await this.classify(image));
  }

  async warmUp(): Promise<void> {
    await this.piscina.run({ warmUp: true });
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}

export const NSFW_CLASSIFIER: ResourceKey<NsfwClassifier> = {
  id: 'nsfw-classifier:mobilenet-v2',
  create: () => new WorkerNsfwClassifier(),
};
