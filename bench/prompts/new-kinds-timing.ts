/**
 * Issue 19's new kinds at 1 MP through the gateway (app.inject, PNG in and out): wall and process CPU time (all
 * threads) of the second of two runs. Run on a quiet machine: node --import tsx bench/prompts/new-kinds-timing.ts
 */
import sharp from 'sharp';
import { createRealApp } from '../../test/helpers/real-app.js';
const cases: [string, string][] = [
  ['street.jpg', 'make the grass and bushes greener'],
  ['street.jpg', 'make the trees look like autumn'],
  ['street.jpg', "make the woman's red shirt blue"],
  ['street.jpg', 'black and white except the red shirt'],
  ['street.jpg', 'make it look like it was taken at night'],
  ['street.jpg', 'tilt-shift effect so it looks like a miniature'],
  ['street.jpg', 'the photo is kinda dark and a bit blurry, can you fix it'],
  ['sky-towers.jpg', 'change the sky to sunrise'],
  ['fruits.jpg', 'make the fruits more colorful'],
  ['baboon.jpg', "make the monkey's face brighter"],
  ['chelsea.png', 'put the cat on a white background'],
  ['coffee.png', 'make the coffee cup blue'],
  ['street.jpg', 'remove the sign'],
  ['street.jpg', 'remove the text from the sign'],
  ['street.jpg', 'paint the wall light blue'],
  ['motorcycle_left.png', 'make the floor darker'],
  ['sky-towers.jpg', 'get rid of the birds'],
];
// --only WORD: the cases whose prompt holds WORD.
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1] : null;
const { app, auth } = await createRealApp('1000', 'timing');
try {
  for (const [photo, prompt] of cases) {
    if (only && !prompt.includes(only)) continue;
    const meta = await sharp(`test/fixtures/${photo}`).metadata();
    const scale = Math.sqrt(1_000_000 / (meta.width! * meta.height!));
    const png = await sharp(`test/fixtures/${photo}`)
      .resize(Math.round(meta.width! * scale))
      .png()
      .toBuffer();
    const image = png.toString('base64');
    let line = '';
    for (let k = 0; k < 2; k++) {
      const cpu = process.cpuUsage();
      const t = performance.now();
      const res = await app.inject({ method: 'POST', url: '/api/v1/image/edit', headers: auth, payload: { prompt, image } });
      const wall = performance.now() - t;
      const used = process.cpuUsage(cpu);
      line = `${res.statusCode} wall ${(wall / 1000).toFixed(2)} s, cpu ${((used.user + used.system) / 1e6).toFixed(2)} s`;
    }
    console.log(`| ${photo} | "${prompt}" | ${line} |`);
  }
} finally {
  await app.close();
}
