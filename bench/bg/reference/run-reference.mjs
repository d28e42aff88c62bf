// The reference side of `npm run bench:bg`, in its own process: @imgly/background-removal-node pins
// onnxruntime-node 1.17, which cannot share a process with the project's 1.30.
// Protocol: one JSON request per stdin line, {"photo": path, "maskOut": path | null}; one JSON answer per
// stdout line, {"ms": latency of removeBackground, bytes in to PNG out} or {"error": message}.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import sharp from 'sharp';
import { removeBackground } from '@imgly/background-removal-node';

const send = (value) => process.stdout.write(JSON.stringify(value) + '\n');
const mimeOf = (path) => (/\.png$/i.test(path) ? 'image/png' : /\.webp$/i.test(path) ? 'image/webp' : 'image/jpeg');

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  try {
    const { photo, maskOut } = JSON.parse(line);
    const bytes = await readFile(photo);
    const started = performance.now();
    // The reference's defaults: model "medium", PNG output.
    const blob = await removeBackground(new Blob([bytes], { type: mimeOf(photo) }));
    const png = Buffer.from(await blob.arrayBuffer());
    const ms = performance.now() - started;
    if (maskOut) await sharp(png).extractChannel(3).png().toFile(maskOut);
    send({ ms });
  } catch (error) {
    send({ error: String(error?.stack ?? error) });
  }
}
