import { register } from 'node:module';

/**
 * Preloaded with `node --import` by tests that check what a command loads: registers the hooks next to
 * this file, which write each resolved module URL (ESM imports and the CommonJS packages they import)
 * to the file named by RETOUCH_RECORD_IMPORTS.
 */
const compiled = !import.meta.url.endsWith('.ts');
register(new URL(`./import-recorder-hooks.${compiled ? 'js' : 'ts'}`, import.meta.url));
