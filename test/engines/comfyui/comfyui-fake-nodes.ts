/**
 * The node catalogue of the ComfyUI test double, and ComfyUI's prompt validation over it, answering with
 * the error shapes of ComfyUI's execution.validate_prompt: an `error` object with `type`, `message`,
 * `details` and `extra_info`, and `node_errors` keyed by node id. Only the nodes that the shipped
 * workflows use are known; any other class_type is refused the way a missing custom node is.
 */

type InputSpec = { type: string; list?: () => string[] };
interface NodeSpec {
  required: Record<string, InputSpec>;
  optional?: Record<string, InputSpec>;
  outputs: string[];
  outputNode?: boolean;
}

export interface ServerFiles {
  unet: string[];
  clip: string[];
  vae: string[];
  inputs: () => string[];
}

const SAMPLERS = ['euler', 'euler_ancestral', 'dpmpp_2m', 'res_multistep'];
const SCHEDULERS = ['simple', 'normal', 'karras', 'beta'];

export function nodeCatalogue(files: ServerFiles): Record<string, NodeSpec> {
  const text: InputSpec = { type: 'STRING' };
  const float: InputSpec = { type: 'FLOAT' };
  const int: InputSpec = { type: 'INT' };
  return {
    UNETLoader: {
      required: {
        unet_name: { type: 'COMBO', list: () => files.unet },
        weight_dtype: { type: 'COMBO', list: () => ['default', 'fp8_e4m3fn', 'fp8_e4m3fn_fast', 'fp8_e5m2'] },
      },
      outputs: ['MODEL'],
    },
    CLIPLoader: {
      required: {
        clip_name: { type: 'COMBO', list: () => files.clip },
        type: { type: 'COMBO', list: () => ['stable_diffusion', 'sd3', 'qwen_image', 'wan', 'flux'] },
      },
      optional: { device: { type: 'COMBO', list: () => ['default', 'cpu'] } },
      outputs: ['CLIP'],
    },
    VAELoader: { required: { vae_name: { type: 'COMBO', list: () => files.vae } }, outputs: ['VAE'] },
    ModelSamplingAuraFlow: { required: { model: { type: 'MODEL' }, shift: float }, outputs: ['MODEL'] },
    CFGNorm: { required: { model: { type: 'MODEL' }, strength: float }, outputs: ['MODEL'] },
    LoadImage: { required: { image: { type: 'COMBO', list: files.inputs } }, outputs: ['IMAGE', 'MASK'] },
    TextEncodeQwenImageEdit: {
      required: { clip: { type: 'CLIP' }, prompt: text },
      optional: { vae: { type: 'VAE' }, image: { type: 'IMAGE' } },
      outputs: ['CONDITIONING'],
    },
    TextEncodeQwenImageEditPlus: {
      required: { clip: { type: 'CLIP' }, prompt: text },
      optional: { vae: { type: 'VAE' }, image1: { type: 'IMAGE' }, image2: { type: 'IMAGE' }, image3: { type: 'IMAGE' } },
      outputs: ['CONDITIONING'],
    },
    VAEEncode: { required: { pixels: { type: 'IMAGE' }, vae: { type: 'VAE' } }, outputs: ['LATENT'] },
    EmptySD3LatentImage: { required: { width: int, height: int, batch_size: int }, outputs: ['LATENT'] },
    KSampler: {
      required: {
        model: { type: 'MODEL' },
        seed: int,
        steps: int,
        cfg: float,
        sampler_name: { type: 'COMBO', list: () => SAMPLERS },
        scheduler: { type: 'COMBO', list: () => SCHEDULERS },
        positive: { type: 'CONDITIONING' },
        negative: { type: 'CONDITIONING' },
        latent_image: { type: 'LATENT' },
        denoise: float,
      },
      outputs: ['LATENT'],
    },
    VAEDecode: { required: { samples: { type: 'LATENT' }, vae: { type: 'VAE' } }, outputs: ['IMAGE'] },
    SaveImage: { required: { images: { type: 'IMAGE' }, filename_prefix: text }, outputs: [], outputNode: true },
    PreviewImage: { required: { images: { type: 'IMAGE' } }, outputs: [], outputNode: true },
  };
}

export type Workflow = Record<string, { class_type?: string; inputs?: Record<string, unknown> }>;
export type Validation =
  | { ok: true; outputs: string[] }
  | { ok: false; error: Record<string, unknown>; node_errors: Record<string, unknown> | [] };

const isLink = (value: unknown): value is [string, number] => Array.isArray(value) && value.length === 2;

function problem(type: string, message: string, details: string, extra: Record<string, unknown> = {}) {
  return { type, message, details, extra_info: extra };
}

/** ComfyUI's validate_prompt, over the catalogue. */
export function validatePrompt(prompt: Workflow, catalogue: Record<string, NodeSpec>): Validation {
  for (const [id, node] of Object.entries(prompt)) {
    if (!node.class_type) {
      const error = problem(
        'invalid_prompt',
        'Cannot execute because a node is missing the class_type property.',
        `Node ID '#${id}'`,
      );
      return { ok: false, error, node_errors: [] };
    }
    if (!catalogue[node.class_type]) {
      const message = `Cannot execute because node ${node.class_type} does not exist.`;
      return { ok: false, error: problem('missing_node_type', message, `Node ID '#${id}'`), node_errors: [] };
    }
  }
  const outputs = Object.keys(prompt).filter((id) => catalogue[prompt[id].class_type!].outputNode);
  if (outputs.length === 0) {
    return { ok: false, error: problem('prompt_no_outputs', 'Prompt has no outputs', ''), node_errors: [] };
  }
  const nodeErrors: Record<string, { errors: unknown[]; dependent_outputs: string[]; class_type: string }> = {};
  const visit = (id: string, output: string, seen: Set<string>) => {
    if (seen.has(id)) return;
    seen.add(id);
    const node = prompt[id];
    const spec = catalogue[node.class_type!];
    const errors: unknown[] = [];
    const inputs = node.inputs ?? {};
    const all = { ...spec.required, ...spec.optional };
    for (const [name, input] of Object.entries(all)) {
      const value = inputs[name];
      if (value === undefined) {
        if (name in spec.required)
          errors.push(problem('required_input_missing', 'Required input is missing', name, { input_name: name }));
        continue;
      }
      if (isLink(value)) {
        const source = prompt[String(value[0])];
        const type = source ? catalogue[source.class_type!].outputs[value[1]] : undefined;
        if (type !== input.type) {
          errors.push(
            problem(
              'return_type_mismatch',
              'Return type mismatch between linked nodes',
              `${name}, received_type(${type}) mismatch input_type(${input.type})`,
              { input_name: name },
            ),
          );
        } else visit(String(value[0]), output, seen);
      } else if (input.list && !input.list().includes(String(value))) {
        errors.push(
          problem('value_not_in_list', 'Value not in list', `${name}: '${value}' not in ${JSON.stringify(input.list())}`, {
            input_name: name,
          }),
        );
      }
    }
    if (errors.length > 0) {
      nodeErrors[id] ??= { errors: [], dependent_outputs: [], class_type: node.class_type! };
      const entry = nodeErrors[id];
      entry.errors.push(...errors);
      entry.dependent_outputs.push(output);
    }
  };
  for (const output of outputs) visit(output, output, new Set());
  if (Object.keys(nodeErrors).length > 0) {
    return {
      ok: false,
      error: problem('prompt_outputs_failed_validation', 'Prompt outputs failed validation', ''),
      node_errors: nodeErrors,
    };
  }
  return { ok: true, outputs };
}

/** The nodes an output depends on, dependencies first: the order the fake executes them in. */
export function executionOrder(prompt: Workflow, outputs: string[]): string[] {
  const order: string[] = [];
  const visit = (id: string) => {
    if (order.includes(id)) return;
    for (const value of Object.values(prompt[id].inputs ?? {})) if (isLink(value)) visit(String(value[0]));
    order.push(id);
  };
  outputs.forEach(visit);
  return order;
}

/** The first LoadImage an output reaches through its links, depth first in input order: the fake model's source. */
export function sourceImage(prompt: Workflow, id: string, seen = new Set<string>()): string | undefined {
  if (seen.has(id)) return undefined;
  seen.add(id);
  const node = prompt[id];
  if (node.class_type === 'LoadImage') return String(node.inputs?.image);
  for (const value of Object.values(node.inputs ?? {})) {
    if (!isLink(value)) continue;
    const found = sourceImage(prompt, String(value[0]), seen);
    if (found) return found;
  }
  return undefined;
}
