import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Debian's Python, which has cv2 from python3-opencv; a `python3` earlier on PATH may not. */
const PYTHON = '/usr/bin/python3';

export interface OpenCvJob {
  image: string;
  mask: string;
  telea: string;
  ns: string;
  repeats: number;
}

export interface OpenCvTiming {
  telea_ms: number;
  ns_ms: number;
  version: string;
}

/** Runs cv2.inpaint (Telea and Navier-Stokes) on each job, writing the results, and returns the median times. */
export function runOpenCv(jobs: OpenCvJob[]): OpenCvTiming[] {
  const script = path.resolve('bench/inpaint/opencv-inpaint.py');
  try {
    const output = execFileSync(PYTHON, [script], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 1 << 24 });
    return output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OpenCvTiming);
  } catch (error) {
    throw new Error(
      `OpenCV reference failed; install it with: apt-get update && apt-get install -y python3-opencv (${String(error)})`,
    );
  }
}
