import { blendByWeight, minPlanes, multiplyPlanes, type BlendInput } from './blend.js';
import type { Rgb } from './colors.js';
import { applyLut, layerStats, planeBounds, ringMedianColor, type LayerStats, type PlaneBounds } from './pixel-stats.js';
import { adjustColours, type ColourAdjust } from './colour-adjust.js';
import { recolour, type RecolourInput, type RecolourStats } from './recolour.js';
import { smoothSkin, type SmoothSkinInput } from './skin-smooth.js';
import { findHorizon, type HorizonInput, type HorizonLine } from './horizon.js';
import { erodeGrey } from './grey-morphology.js';
import { applyLookPixels, type LookInput } from './looks/look-kernel.js';
import { checkFill, type FillCheck, type FillCheckInput } from './fill-check.js';
import { surfaceFill, type SurfaceFillInput } from './surface-fill.js';
import { findTornCorner, type TornCorner, type TornCornerInput } from './torn-corner.js';
import { taskOutput, type TaskOutput } from './worker/task-output.js';

/**
 * The local-edit entries of the imaging workers' task table (worker/tasks.ts lists them): thin adapters
 * from a structured-cloneable payload to the pure kernels, moving result buffers back.
 */

export interface DataResult {
  data: Uint8Array;
}

function moved(data: Uint8Array): TaskOutput<DataResult> {
  return taskOutput({ data }, [data.buffer as ArrayBuffer]);
}

export function blendTask(payload: BlendInput): TaskOutput<DataResult> {
  return moved(blendByWeight(payload));
}

export function lutTask(payload: { data: Uint8Array; channels: number; lut: Uint8Array }): TaskOutput<DataResult> {
  return moved(applyLut(payload.data, payload.channels, payload.lut));
}

export function minWeightsTask(payload: { a: Uint8Array; b: Uint8Array }): TaskOutput<DataResult> {
  return moved(minPlanes(payload.a, payload.b));
}

export function erodeGreyTask(payload: {
  data: Uint8Array;
  width: number;
  height: number;
  radius: number;
}): TaskOutput<DataResult> {
  return moved(erodeGrey(payload.data, payload.width, payload.height, payload.radius));
}

export function multiplyWeightsTask(payload: { a: Uint8Array; b: Uint8Array }): TaskOutput<DataResult> {
  return moved(multiplyPlanes(payload.a, payload.b));
}

export function planeBoundsTask(payload: {
  data: Uint8Array;
  width: number;
  height: number;
  threshold: number;
}): TaskOutput<PlaneBounds | null> {
  return taskOutput(planeBounds(payload.data, payload.width, payload.height, payload.threshold));
}

export function ringColorTask(payload: {
  data: Uint8Array;
  channels: number;
  hole: Uint8Array;
  ring: Uint8Array;
}): TaskOutput<Rgb | null> {
  return taskOutput(ringMedianColor(payload.data, payload.channels, payload.hole, payload.ring));
}

export function layerStatsTask(payload: {
  data: Uint8Array;
  channels: number;
  base: { data: Uint8Array; channels: number } | null;
}): TaskOutput<LayerStats> {
  return taskOutput(layerStats(payload.data, payload.channels, payload.base));
}

export function colourAdjustTask(payload: { data: Uint8Array; channels: number; op: ColourAdjust }): TaskOutput<DataResult> {
  return moved(adjustColours(payload.data, payload.channels, payload.op));
}

export function smoothSkinTask(payload: SmoothSkinInput): TaskOutput<DataResult> {
  return moved(smoothSkin(payload));
}

export function findHorizonTask(payload: HorizonInput): TaskOutput<HorizonLine | null> {
  return taskOutput(findHorizon(payload));
}

export function recolourTask(payload: RecolourInput): TaskOutput<{ data: Uint8Array; stats: RecolourStats }> {
  const { data, stats } = recolour(payload);
  return taskOutput({ data, stats }, [data.buffer as ArrayBuffer]);
}

export function lookTask(payload: LookInput): TaskOutput<DataResult> {
  return moved(applyLookPixels(payload));
}

export function fillCheckTask(payload: FillCheckInput): TaskOutput<FillCheck> {
  return taskOutput(checkFill(payload));
}

export function surfaceFillTask(payload: SurfaceFillInput): TaskOutput<DataResult | null> {
  const data = surfaceFill(payload);
  return data ? moved(data) : taskOutput(null);
}

export function tornCornerTask(payload: TornCornerInput): TaskOutput<TornCorner | null> {
  const found = findTornCorner(payload);
  return found ? taskOutput(found, [found.mask.buffer as ArrayBuffer]) : taskOutput(null);
}
