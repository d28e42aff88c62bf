import type { RawImage } from '../../imaging/raw-image.js';
import type { Availability } from '../availability.js';

/** An axis-aligned box in image pixels. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** One thing a detector saw: what it is, how sure it is (0..1), and where. */
export interface Detection extends Box {
  /** A COCO class name ("person", "cup"), "face" or "text". */
  label: string;
  score: number;
}

/** The three detectors, each a model of its own. */
export type DetectorKind = 'objects' | 'faces' | 'text';

/**
 * A detector: boxes of what it can see in a picture, above its calibrated threshold. Runs in a worker
 * thread; the caller's pixels are copied, never detached.
 */
export interface Detector {
  readonly kind: DetectorKind;
  status(): Availability;
  /** `minScore` replaces the calibrated threshold (objects only): weaker guesses, for callers that weigh them. */
  detect(image: RawImage, signal?: AbortSignal, options?: { minScore?: number }): Promise<Detection[]>;
}

/** The shared detection service: the three detectors behind one worker pool. */
export interface Detectors {
  objects: Detector;
  faces: Detector;
  text: Detector;
  warmUp(): Promise<void>;
  close(): Promise<void>;
}
