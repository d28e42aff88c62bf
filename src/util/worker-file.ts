/**
 * The URL of a worker module next to `importMetaUrl`. Compiled code runs `.js` files from dist/, while
 * `tsx` (used for quick test runs) runs the `.ts` sources; a worker must be started with the same kind.
 *
 * @example new Piscina({ filename: workerFile(import.meta.url, './inpaint-worker') })
 */
export function workerFile(importMetaUrl: string, relativeWithoutExtension: string): string {
  const extension = importMetaUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(relativeWithoutExtension + extension, importMetaUrl).href;
}
