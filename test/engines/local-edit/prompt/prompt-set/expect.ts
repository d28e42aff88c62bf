import type { EditStep, Target } from '../../../../../src/engines/local-edit/plan/edit-plan.js';
import type { RefusalKind } from '../../../../../src/engines/local-edit/prompt/refusals.js';

/**
 * How the prompt set says what each prompt must give: the steps of the plan (only the fields written are
 * compared, numbers to 1e-6), or the category of the refusal. Short builders keep 300 cases readable.
 */

export type ExpectedStep = Partial<
  Record<
    | keyof EditStep
    | 'tone'
    | 'target'
    | 'ratio'
    | 'focus'
    | 'degrees'
    | 'axis'
    | 'background'
    | 'fill'
    | 'text'
    | 'anchor'
    | 'factor'
    | 'color'
    | 'widthFraction'
    | 'recolour'
    | 'look'
    | 'strength'
    | 'outside',
    unknown
  >
>;
export type Expectation = { steps: ExpectedStep[] } | { refusal: RefusalKind };
export type PromptCase = readonly [prompt: string, expected: Expectation];

export const ALL: Target = { kind: 'all' };
export const DEFAULT: Target = { kind: 'default' };
export const BG: Target = { kind: 'background' };
export const SUBJECT: Target = { kind: 'subject' };
export const MASK: Target = { kind: 'mask' };
export const obj = (phrase: string): Target => ({ kind: 'object', phrase });

export const plan = (...steps: ExpectedStep[]): Expectation => ({ steps });
export const refusal = (kind: RefusalKind): Expectation => ({ refusal: kind });
export const NOT_UNDERSTOOD = refusal('not-understood');
export const NEEDS_MASK = refusal('needs-mask');
export const GENERATIVE = refusal('needs-generative-model');
export const UNSUPPORTED = refusal('unsupported');

export function tone(
  kind: string,
  params: Record<string, unknown> = {},
  target: Target = DEFAULT,
  strength?: number,
): ExpectedStep {
  return { op: 'tone', tone: { kind, ...params }, target, ...(strength !== undefined ? { strength } : {}) };
}

export const brighter = (factor = 1.2, target: Target = DEFAULT) => tone('brightness', { factor }, target);
export const darker = (factor = 0.8, target: Target = DEFAULT) => tone('brightness', { factor }, target);
export const contrast = (factor: number, target: Target = DEFAULT) => tone('contrast', { factor }, target);
export const saturation = (factor: number, target: Target = DEFAULT) => tone('saturation', { factor }, target);
export const warmer = (amount = 1, target: Target = DEFAULT) => tone('temperature', { amount }, target);
export const cooler = (amount = 1, target: Target = DEFAULT) => tone('temperature', { amount: -amount }, target);
export const vignette = (amount = 1) => tone('vignette', { amount });
export const sharpen = (amount = 1, target: Target = DEFAULT) => tone('sharpen', { amount }, target);
export const blur = (target: Target = DEFAULT, amount = 1) => tone('blur', { amount }, target);
export const pixelate = (target: Target = DEFAULT, amount = 1) => tone('pixelate', { amount }, target);
export const grey = (target: Target = DEFAULT, strength = 1) => tone('greyscale', {}, target, strength);
export const sepia = (strength = 1) => tone('sepia', {}, DEFAULT, strength);
export const vintage = (strength = 1) => tone('vintage', {}, DEFAULT, strength);
export const vibrance = (amount = 1, target: Target = DEFAULT) => tone('vibrance', { amount }, target);
export const shadows = (amount: number, target: Target = DEFAULT) => tone('tonal-range', { range: 'shadows', amount }, target);
export const highlights = (amount: number, target: Target = DEFAULT) =>
  tone('tonal-range', { range: 'highlights', amount }, target);
export const exposure = (stops: number) => tone('exposure', { stops });
export const enhance = (strength = 1) => tone('auto-enhance', {}, DEFAULT, strength);
export const denoise = (amount = 1) => tone('denoise', { amount });
export const smoothSkin = (target: Target = obj('the faces'), amount = 1) => tone('smooth-skin', { amount }, target);

export const remove = (target: Target) => ({ op: 'inpaint', target });
export const crop = (ratio: [number, number], focus: unknown = 'center') => ({ op: 'crop', ratio, focus });
export const rotate = (degrees: 90 | 180 | 270) => ({ op: 'rotate', degrees });
export const flip = (axis: 'horizontal' | 'vertical' = 'horizontal') => ({ op: 'flip', axis });
export const solidBackground = (color: [number, number, number]) => ({ op: 'background', background: { kind: 'color', color } });
export const transparentBackground = () => ({ op: 'background', background: { kind: 'transparent' } });
export const studioBackground = () => ({ op: 'background', background: { kind: 'studio' } });
export const straighten = () => ({ op: 'straighten' });
export const text = (value: string, anchor: string, extra: Record<string, unknown> = {}) => ({
  op: 'text',
  text: value,
  anchor,
  ...extra,
});
export const upscale = (factor = 2) => ({ op: 'upscale', factor });
export const thing = (phrase: string) => ({ kind: 'thing', phrase });
