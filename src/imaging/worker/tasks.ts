import { quiltFill } from '../inpaint/quilt.js';
import {
  beginLevelPhase,
  finishPhase,
  improvePhase,
  preparePhase,
  structurePhase,
  votePhase,
  type BeginLevelPayload,
  type FinishPayload,
  type ImprovePayload,
  type PreparePayload,
  type VotePayload,
} from '../inpaint/phases.js';
import {
  blendTask,
  colourAdjustTask,
  findHorizonTask,
  layerStatsTask,
  lookTask,
  fillCheckTask,
  surfaceFillTask,
  tornCornerTask,
  lutTask,
  minWeightsTask,
  erodeGreyTask,
  multiplyWeightsTask,
  planeBoundsTask,
  recolourTask,
  ringColorTask,
  smoothSkinTask,
} from '../edit-tasks.js';
import { editSkyTask, findStuffTask } from '../stuff/stuff-tasks.js';
import type { InpaintImage } from '../inpaint/prepare.js';
import { taskOutput, type TaskOutput } from './task-output.js';

/**
 * Every task the imaging workers can run, by name. To add one, write a function that takes a plain,
 * structured-cloneable payload and returns `taskOutput(value, buffersToMove)`, and list it here; the
 * pool's `run` picks up its payload and result types from this table. Big arrays either move (listed in
 * the transfer lists) or live in SharedArrayBuffers, as the inpainting phases' levels do.
 *
 * @example
 * export const TASKS = {
 *   ...,
 *   sharpen: (p: SharpenPayload) => { const data = sharpen(p); return taskOutput({ data }, [data.buffer]); },
 * };
 */
export const TASKS = {
  inpaintStructure: (payload: { image: InpaintImage }) => taskOutput(structurePhase(payload)),
  inpaintQuilt: (payload: { image: InpaintImage; seed: number }) => taskOutput(quiltFill(payload.image, { seed: payload.seed })),
  inpaintPrepare: (payload: PreparePayload) => taskOutput(preparePhase(payload)),
  inpaintBeginLevel: (payload: BeginLevelPayload) => taskOutput(beginLevelPhase(payload)),
  inpaintImprove: (payload: ImprovePayload) => taskOutput(improvePhase(payload)),
  inpaintVote: (payload: VotePayload) => taskOutput(votePhase(payload)),
  inpaintFinish: (payload: FinishPayload) => {
    const data = finishPhase(payload);
    return taskOutput({ data }, [data.buffer as ArrayBuffer]);
  },
  // local-edit's kernels (see ../edit-tasks.ts)
  blend: blendTask,
  channelLut: lutTask,
  minWeights: minWeightsTask,
  erodeGrey: erodeGreyTask,
  multiplyWeights: multiplyWeightsTask,
  planeBounds: planeBoundsTask,
  ringColor: ringColorTask,
  layerStats: layerStatsTask,
  colourAdjust: colourAdjustTask,
  smoothSkin: smoothSkinTask,
  findHorizon: findHorizonTask,
  recolour: recolourTask,
  // stuff: sky, grass, water ... and sky edits (../stuff/)
  findStuff: findStuffTask,
  editSky: editSkyTask,
  look: lookTask,
  fillCheck: fillCheckTask,
  surfaceFill: surfaceFillTask,
  tornCorner: tornCornerTask,
} satisfies Record<string, (payload: never) => TaskOutput<unknown> | Promise<TaskOutput<unknown>>>;

export type TaskName = keyof typeof TASKS;
export type TaskPayload<Name extends TaskName> = Parameters<(typeof TASKS)[Name]>[0];
export type TaskValue<Name extends TaskName> =
  Awaited<ReturnType<(typeof TASKS)[Name]>> extends TaskOutput<infer Value> ? Value : never;
