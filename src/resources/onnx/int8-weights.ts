import { readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';

/**
 * Which integer type the int8 models' weights take on this CPU. ONNX Runtime's integer convolutions multiply
 * uint8 activations by the weights. With int8 weights ('s8') on x86 cores with VNNI (AVX512-VNNI, AVX-VNNI)
 * that is a dot product into 32 bits, the fastest path. Without VNNI (AVX2 only, as on the AMD EPYC cores
 * some of our machines have) it is `vpmaddubsw`, which adds two products into a signed 16-bit sum and
 * saturates (255 x 127 x 2 overflows): the int8 ISNet's baboon matte came out 0.057 off the float model's,
 * four times its limit. There the weights are stored as uint8 around a zero point of 128 ('u8'), which
 * ONNX Runtime runs with 16-bit products that cannot saturate: the same 8-bit precision as with VNNI (baboon
 * 0.0076, fruits 0.0041, rocket 0.0021: the numbers measured on VNNI cores), at about 1.45x the time of the saturating kernel (1.75 against 1.21 s for
 * ISNet at 1024 x 1024 on 2 AVX2 cores; float 1.93 s). Seven-bit int8 weights (ONNX Runtime's
 * `reduce_range`) avoid the saturation too, but lost a bit: fruits 0.0096 and IoU 0.972, at the limits.
 * ARM's int8 dot products do not saturate.
 */
export type Int8WeightKind = 's8' | 'u8';

let cached: Int8WeightKind | undefined;

export function int8WeightKind(): Int8WeightKind {
  cached ??= detect();
  return cached;
}

function detect(): Int8WeightKind {
  const forced = process.env.RETOUCH_INT8_WEIGHTS;
  if (forced === 's8' || forced === 'u8') return forced;
  if (arch() !== 'x64') return 's8';
  if (platform() !== 'linux') return 'u8';
  try {
    return /\b(?:avx512_vnni|avx_vnni|amx_int8)\b/.test(readFileSync('/proc/cpuinfo', 'utf8')) ? 's8' : 'u8';
  } catch {
    // Not readable: the weights that are right on every core, at some cost in speed on VNNI ones.
    return 'u8';
  }
}
