#!/bin/sh
# Builds the server (tsc) and the playground (vite) into dist.next/, then swaps it in for dist/.
#
# Why not build into dist/ directly: `npx retouch ...` with an empty npx cache installs this project into the
# cache first, and that runs `prepare`, which is this build. Building in place would delete dist/ under a
# running `retouch serve` (its worker threads and lazily imported modules load from dist/ later) or under a
# test run. Building beside it and renaming leaves dist/ whole at every moment but the two renames.
set -eu
cd "$(dirname "$0")/.."
rm -rf dist.next dist.old
tsc -p . --outDir dist.next
vite build --config web/vite.config.ts --logLevel warn --outDir ../dist.next/web --emptyOutDir
chmod +x dist.next/src/cli/main.js
if [ -d dist ]; then mv dist dist.old; fi
mv dist.next dist
rm -rf dist.old
