import sharp from 'sharp';

/** Pixels as they cross to a detection worker (moved, a private copy). */
export interface PixelsTask {
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * The picture resized to `width` x `height` as RGB bytes: stretched (`fill`) or letterboxed into the top
 * left corner with black (`pad`), which keeps proportions; `scale` maps model pixels back to the image.
 */
export async function resizedRgb(
  task: PixelsTask,
  width: number,
  height: number,
  fit: 'fill' | 'pad',
): Promise<{ rgb: Buffer; scaleX: number; scaleY: number }> {
  const raw = { width: task.width, height: task.height, channels: task.channels };
  let pipeline = sharp(task.pixels, { raw, limitInputPixels: false }).removeAlpha();
  if (fit === 'fill') {
    const rgb = await pipeline.resize(width, height, { fit: 'fill' }).raw().toBuffer();
    return { rgb, scaleX: task.width / width, scaleY: task.height / height };
  }
  const scale = Math.min(width / task.width, height / task.height);
  const w = Math.max(1, Math.round(task.width * scale));
  const h = Math.max(1, Math.round(task.height * scale));
  pipeline = pipeline
    .resize(w, h, { fit: 'fill' })
    .extend({ right: width - w, bottom: height - h, background: { r: 0, g: 0, b: 0 } });
  const rgb = await pipeline.raw().toBuffer();
  return { rgb, scaleX: task.width / w, scaleY: task.height / h };
}
