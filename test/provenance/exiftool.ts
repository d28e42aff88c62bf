import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Reads a file's metadata with exiftool (Debian's libimage-exiftool-perl), the reader most tools and
 * people use: an independent check that what we write is what others see. Tag names are group-prefixed
 * ("XMP-iptcExt:DigitalSourceType", "GPS:GPSLatitude").
 */
export function exiftool(bytes: Buffer, extension: string): Record<string, unknown> {
  const dir = mkdtempSync(path.join(tmpdir(), 'retouch-exif-'));
  try {
    const file = path.join(dir, `image.${extension}`);
    writeFileSync(file, bytes);
    const out = execFileSync('exiftool', ['-json', '-G1', '-a', '-n', file], { encoding: 'utf8' });
    return (JSON.parse(out) as Array<Record<string, unknown>>)[0]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether exiftool is installed (CI installs it; see .ci/run). */
export function hasExiftool(): boolean {
  try {
    execFileSync('exiftool', ['-ver'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
