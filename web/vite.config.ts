import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds the playground (web/) into dist/web, which the server serves at `/` and `/playground`.
 * `base: './'` makes every asset URL relative, so the page works behind a path prefix.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The CSP allows no inline script: no module-preload polyfill injected into the page, no inlined assets.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: true,
  },
});
