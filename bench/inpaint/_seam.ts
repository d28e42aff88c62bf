import sharp from 'sharp';
const load = async (f: string, grey: boolean) =>
  await sharp(f)
    .removeAlpha()
    .toColourspace(grey ? 'b-w' : 'srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
/** Longest run of rows in which one column holds a strong horizontal step (|dL| > t), counting only steps touching `inside`. */
function longestColumnStep(l: Buffer, W: number, H: number, inside: (x: number, y: number) => boolean, t = 35) {
  let best = 0,
    at = '';
  for (let x = 1; x < W; x++) {
    let run = 0;
    for (let y = 0; y < H; y++) {
      const step = Math.abs(l[y * W + x] - l[y * W + x - 1]) > t && (inside(x, y) || inside(x - 1, y));
      // the step may wander by one column and still be "straight"
      const near = step || (Math.abs(l[y * W + x + 1] - l[y * W + x]) > t && (inside(x + 1, y) || inside(x, y)));
      run = near ? run + 1 : 0;
      if (run > best) {
        best = run;
        at = `x=${x} y=${y}`;
      }
    }
  }
  return { best, at };
}
for (const [mask, out] of [
  ['out/mask.png', 'out/spoon.png'],
  ['out/mask2.png', 'out/spoon2.png'],
]) {
  const m = (await load(mask, true)).data;
  const o = await load(out, true);
  const W = o.info.width,
    H = o.info.height;
  const hole = (x: number, y: number) => m[y * W + x] > 127;
  const orig = (await load('test/fixtures/coffee.png', true)).data;
  console.log(
    mask,
    'fill',
    longestColumnStep(o.data, W, H, hole),
    'known image',
    longestColumnStep(orig, W, H, (x, y) => !hole(x, y)),
  );
}
