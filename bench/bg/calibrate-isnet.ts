/**
 * Measures ISNet's int8 activation ranges on assets/calibration and writes assets/int8/isnet-ranges.json,
 * which the `isnet-int8` segmentation model quantizes from (src/resources/segmenter/isnet-int8.ts).
 * Run again when the recipe, the quantizer or the model changes: `npm run calibrate:isnet` (about 40 s).
 */
import { writeFileSync } from 'node:fs';
import { prepareModel } from '../../src/resources/onnx/model-rewrite.js';
import { sessionOptions } from '../../src/resources/onnx/session-options.js';
import { calibrateIsnet, isnetRangesPath } from '../../src/resources/segmenter/isnet-int8.js';
import { loadModelBytes } from '../../src/resources/segmenter/model-bytes.js';
import { BUILTIN_SEGMENTATION_MODELS } from '../../src/resources/segmenter/segmentation-models.js';

const spec = BUILTIN_SEGMENTATION_MODELS['isnet-int8'];
const prepared = prepareModel(await loadModelBytes(spec.source), spec.outputIndex);
const json = await calibrateIsnet(prepared.bytes, spec, sessionOptions({ workers: 1, intraOpThreads: 2 }));
writeFileSync(isnetRangesPath(), json);
console.log(`wrote ${isnetRangesPath()}`);
