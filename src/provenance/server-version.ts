import { existsSync, readFileSync } from 'node:fs';

/**
 * The repository's package.json: three levels up from dist/src/provenance/ (the built server), two from
 * src/provenance/ (the sources run with tsx, as the benchmarks are).
 */
function packageJson(): URL {
  const built = new URL('../../../package.json', import.meta.url);
  return existsSync(built) ? built : new URL('../../package.json', import.meta.url);
}

/** This server's version (package.json), named as the claim generator in every manifest. */
export const SERVER_VERSION: string = (JSON.parse(readFileSync(packageJson(), 'utf8')) as { version: string }).version;
