import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * A ComfyUI workflow in API format (ComfyUI: "Export (API)") and the mapping that says where a request's
 * values go in it. Both are checked against each other when the server starts.
 *
 * @example mapping
 * { "prompt": "20.prompt", "images": ["10.image", "11.image", "12.image"], "seed": "40.seed", "output": "60" }
 */
export type ApiWorkflow = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: unknown }>;

const target = z.string().regex(/^[^.\s]+\.[^.\s]+$/, 'Expected "<node id>.<input name>"');
const targets = z.union([target, z.array(target).min(1)]).transform((t) => (Array.isArray(t) ? t : [t]));

const mappingSchema = z
  .object({
    /** Inputs that receive the prompt (a text encoder's `prompt` or `text`). */
    prompt: targets,
    /** Inputs that receive a negative prompt, set to `negativePrompt` (empty by default). */
    negative: targets.optional(),
    negativePrompt: z.string().default(''),
    /** One LoadImage input per image slot, base first; unused slots' loaders are removed with their links. */
    images: z.array(target).min(1).max(8),
    seed: targets.optional(),
    /** For workflows that start from an empty latent: receive the sent base image's width and height. */
    width: targets.optional(),
    height: targets.optional(),
    /** The output node whose first image is the result; by default the first node that saved one. */
    output: z.string().min(1).optional(),
  })
  .strict();

export type WorkflowMapping = z.infer<typeof mappingSchema>;

export interface LoadedWorkflow {
  workflow: ApiWorkflow;
  mapping: WorkflowMapping;
}

/** The project's root (where workflows/ lives), both from src/ under tsx and from dist/src/ when compiled. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.basename(dir) !== 'src' && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const parent = path.dirname(dir);
  return path.basename(parent) === 'dist' ? path.dirname(parent) : parent;
}

export const SHIPPED_WORKFLOW = 'workflows/qwen-image-edit.json';

/**
 * Reads a workflow file and its mapping (given, or the `<name>.mapping.json` next to it) and checks that
 * every mapped input exists. Relative paths are resolved from the working directory, then from the
 * project root (so the shipped workflow is found wherever the server starts).
 */
export function loadWorkflow(file: string, mapping?: unknown): LoadedWorkflow {
  const resolved = resolveFile(file);
  const workflow = parseWorkflow(JSON.parse(readFileSync(resolved, 'utf8')), file);
  const mappingSource = mapping ?? JSON.parse(readFileSync(resolved.replace(/\.json$/, '.mapping.json'), 'utf8'));
  const parsed = mappingSchema.safeParse(mappingSource);
  if (!parsed.success) {
    throw new Error(`mapping: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  checkMapping(workflow, parsed.data);
  return { workflow, mapping: parsed.data };
}

function resolveFile(file: string): string {
  if (path.isAbsolute(file)) return file;
  const fromCwd = path.resolve(file);
  try {
    readFileSync(fromCwd);
    return fromCwd;
  } catch {
    return path.join(projectRoot(), file);
  }
}

function parseWorkflow(value: unknown, file: string): ApiWorkflow {
  const node = z.object({ class_type: z.string().min(1), inputs: z.record(z.string(), z.unknown()) });
  const parsed = z.record(z.string(), node.loose()).safeParse(value);
  if (!parsed.success || Object.keys(parsed.data).length === 0) {
    throw new Error(`${file} is not a ComfyUI workflow in API format (export it with "Export (API)")`);
  }
  return parsed.data as ApiWorkflow;
}

function checkMapping(workflow: ApiWorkflow, mapping: WorkflowMapping): void {
  const all = [
    mapping.prompt,
    mapping.negative ?? [],
    mapping.images,
    mapping.seed ?? [],
    mapping.width ?? [],
    mapping.height ?? [],
  ];
  for (const spec of all.flat()) {
    const [nodeId, input] = spec.split('.');
    const node = workflow[nodeId];
    if (!node) throw new Error(`mapping names node ${nodeId}, which the workflow does not have`);
    if (!(input in node.inputs))
      throw new Error(`mapping names input ${spec}, which node ${nodeId} (${node.class_type}) does not have`);
  }
  if (mapping.output && !workflow[mapping.output]) {
    throw new Error(`mapping.output names node ${mapping.output}, which the workflow does not have`);
  }
}

export interface WorkflowValues {
  prompt: string;
  /** Names of the uploaded images as LoadImage wants them, base first. */
  images: string[];
  seed: number;
  width: number;
  height: number;
}

/** A copy of the workflow with the request's values set and the unused image slots removed. */
export function applyMapping({ workflow, mapping }: LoadedWorkflow, values: WorkflowValues): ApiWorkflow {
  const out: ApiWorkflow = structuredClone(workflow);
  const set = (specs: string[] | undefined, value: unknown) => {
    for (const spec of specs ?? []) {
      const [nodeId, input] = spec.split('.');
      out[nodeId].inputs[input] = value;
    }
  };
  set(mapping.prompt, values.prompt);
  set(mapping.negative, mapping.negativePrompt);
  set(mapping.seed, values.seed);
  set(mapping.width, values.width);
  set(mapping.height, values.height);
  mapping.images.forEach((spec, i) => {
    if (i < values.images.length) set([spec], values.images[i]);
    else removeNode(out, spec.split('.')[0]);
  });
  return out;
}

/** Removes a node and every link to it (links are `[nodeId, outputIndex]` input values). */
function removeNode(workflow: ApiWorkflow, nodeId: string): void {
  delete workflow[nodeId];
  for (const node of Object.values(workflow)) {
    for (const [name, value] of Object.entries(node.inputs)) {
      if (Array.isArray(value) && value.length === 2 && String(value[0]) === nodeId) delete node.inputs[name];
    }
  }
}
