/**
 * The `super-resolution` kind's options schema. It lives with the networks it configures
 * (src/resources/super-resolution/upscaler-options.ts), since other users of the server's upscale model
 * read it too and must not import an engine.
 */
export {
  superResolutionOptionsSchema,
  type SuperResolutionEngineOptions,
} from '../../resources/super-resolution/upscaler-options.js';
