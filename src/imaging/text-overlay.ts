import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { ApiError } from '../errors.js';
import type { Rgb } from './colors.js';
import { overlayRect, type Anchor } from './layers.js';
import { sharpFromRaw, type RawImage } from './raw-image.js';

/**
 * Text drawn over a picture ("add the text SALE in the top left corner"): rendered by sharp (Pango) in
 * DejaVu Sans Bold, whose TrueType file comes from the npm package dejavu-fonts-ttf (so `npm install`
 * alone provides it, whatever fonts the machine has), with a soft dark outline so it reads on any
 * background.
 */

const FONT_FILE = path.join(
  path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
  'DejaVuSans-Bold.ttf',
);
const FONT = 'DejaVu Sans Bold';

export interface TextSpec {
  text: string;
  anchor: Anchor;
  /** Width of the text as a share of the picture's width (the height is capped at a fifth of the picture). */
  widthFraction: number;
  color: Rgb;
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

async function renderText(text: string, color: Rgb, dpi: number): Promise<{ data: Buffer; width: number; height: number }> {
  const markup = `<span foreground="${hex(color)}">${escapeMarkup(text)}</span>`;
  const { data, info } = await sharp({ text: { text: markup, font: FONT, fontfile: FONT_FILE, rgba: true, dpi } })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * @example const out = await drawText(photo, { text: 'SALE', anchor: 'top-left', widthFraction: 1 / 3, color: [255, 255, 255] });
 */
export async function drawText(image: RawImage, spec: TextSpec): Promise<RawImage> {
  // Measure at a known size, then render at the size that gives the asked width (or fits a fifth of the height).
  const probe = await renderText(spec.text, spec.color, 72);
  const wanted = Math.min(
    (spec.widthFraction * image.width) / probe.width,
    (0.2 * image.height) / probe.height,
    (0.9 * image.width) / probe.width,
  );
  const dpi = Math.max(8, Math.min(2400, Math.round(72 * wanted)));
  const glyphs = await renderText(spec.text, spec.color, dpi);
  const outlineSigma = Math.max(1, glyphs.height * 0.04);
  const pad = Math.ceil(3 * outlineSigma);
  // The outline: the glyphs' alpha, blurred and darkened, under the glyphs.
  const alpha = await sharp(glyphs.data, { raw: { width: glyphs.width, height: glyphs.height, channels: 4 } })
    .extend({ top: pad, bottom: pad, left: pad, right: pad, background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .extractChannel(3)
    .blur(outlineSigma)
    .linear(2.5, 0)
    .raw()
    .toBuffer();
  const label = { width: glyphs.width + 2 * pad, height: glyphs.height + 2 * pad };
  if (label.width > image.width || label.height > image.height) {
    // Even the smallest legible size does not fit (a strip a few pixels thin is a legal picture).
    throw new ApiError(
      'INVALID_IMAGE',
      `The picture (${image.width}x${image.height}) is too small for legible text: "${spec.text.slice(0, 40)}" needs at least ${label.width}x${label.height} pixels`,
    );
  }
  const outline = await sharp({ create: { ...label, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .joinChannel(alpha, { raw: { ...label, channels: 1 } })
    .raw()
    .toBuffer();
  const shadow = await sharp(outline, { raw: { ...label, channels: 4 } })
    .composite([{ input: glyphs.data, raw: { width: glyphs.width, height: glyphs.height, channels: 4 }, left: pad, top: pad }])
    .png()
    .toBuffer();
  const placed = overlayRect(image, label, { anchor: spec.anchor, widthFraction: label.width / image.width });
  // overlayRect keeps the overlays' margin from the edges; the label is never larger than the picture.
  const left = clamp(placed.left, 0, Math.max(0, image.width - label.width));
  const top = clamp(placed.top, 0, Math.max(0, image.height - label.height));
  const composed = await sharpFromRaw(image)
    .composite([{ input: shadow, left: Math.round(left), top: Math.round(top) }])
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Compositing a transparent label adds an alpha channel; a picture without one keeps none.
  const { data, info } =
    image.channels === 3 && composed.info.channels === 4
      ? await sharp(composed.data, { raw: { width: image.width, height: image.height, channels: 4 } })
          .removeAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true })
      : composed;
  return { data, width: info.width, height: info.height, channels: info.channels as 3 | 4 };
}

function clamp(v: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, v));
}
