import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../../../src/errors.js';
import { parsePrompt } from '../../../../src/engines/local-edit/prompt/parser.js';
import type { EditStep } from '../../../../src/engines/local-edit/plan/edit-plan.js';
import { CONSTRAINT_ROW, VOCABULARY } from '../../../../src/engines/local-edit/vocabulary/table.js';

/** Asserts that `prompt` is refused with a 400 whose message contains every one of `parts`. */
function refused(prompt: string, ...parts: string[]): void {
  assert.throws(
    () => parsePrompt(prompt),
    (error: unknown) => {
      assert.ok(error instanceof ApiError, String(error));
      assert.equal(error.code, 'UNSUPPORTED_INSTRUCTION');
      assert.equal(error.status, 400);
      for (const part of parts) assert.ok(error.message.includes(part), `"${error.message}" lacks "${part}"`);
      return true;
    },
  );
}

const only = (prompt: string): EditStep => {
  const { steps } = parsePrompt(prompt);
  assert.equal(steps.length, 1, `"${prompt}" gave ${steps.length} steps`);
  return steps[0];
};

describe('every documented example parses to its own instruction', () => {
  for (const entry of VOCABULARY) {
    test(entry.instruction, () => {
      if (entry.group === 'refused') {
        for (const example of entry.examples) refused(example, 'Cannot do');
        return;
      }
      for (const example of entry.examples) assert.equal(only(example).entry, entry.id, `"${example}"`);
    });
  }
});

test('the documented keep/preserve examples parse to an instruction and a constraint', () => {
  for (const example of CONSTRAINT_ROW.examples) {
    const plan = parsePrompt(example);
    assert.equal(plan.steps.length, 1, example);
    assert.equal(plan.constraints.length, 1, example);
  }
});

describe('generous wording', () => {
  const cases: Array<[string, string]> = [
    ['MAKE IT BLACK AND WHITE!!!', 'greyscale'],
    ['Please, can you make the image greyscale?', 'greyscale'],
    ['convert this photo to gray scale', 'greyscale'],
    ['b/w', 'greyscale'],
    ['black-and-white please', 'greyscale'],
    ['I would like the picture in monochrome', 'greyscale'],
    ['could you give it a sepia tone', 'sepia'],
    ['Make it pop', 'vibrance'],
    ['more saturated colours please', 'vivid'],
    ['a little darker', 'darker'],
    ['Turn the brightness up', 'brighter'],
    ['warm it up a bit', 'warmer'],
    ['rotate by 90° anticlockwise', 'rotate'],
    ['rotate -90 degrees', 'rotate'],
    ['mirror it', 'flip'],
    ['crop it to widescreen', 'crop'],
    ['remove the bg', 'remove-background'],
    ['put it on a white background', 'replace-background'],
    ['change the background to a soft gradient from light blue to white', 'replace-background'],
    ['replace the backdrop with a modern photo studio backdrop', 'replace-background'],
    ['darken the background a lot', 'darker'],
    ['brighten the subject slightly', 'brighter'],
    ['erase it', 'remove-object'],
    ['posterise with 5 colours', 'posterize'],
    ['Auto-enhance', 'auto-enhance'],
  ];
  for (const [prompt, entry] of cases) test(`"${prompt}"`, () => assert.equal(only(prompt).entry, entry));

  test('amounts: percentages, strength words and pixels set the parameters', () => {
    const brighter = (p: string) => {
      const step = only(p);
      assert.ok(step.op === 'tone' && step.tone.kind === 'brightness');
      return step.tone.factor;
    };
    assert.equal(brighter('brighten it by 20%'), 1.2);
    assert.equal(brighter('make it 35% brighter'), 1.35);
    assert.equal(brighter('slightly brighter'), 1.1);
    assert.equal(brighter('much brighter'), 1.4);
    const blur = only('blur the masked area by 6px');
    assert.ok(blur.op === 'tone' && blur.tone.kind === 'blur' && blur.tone.pixels === 6 && blur.target.kind === 'mask');
    const sepia = only('slightly sepia');
    assert.ok(sepia.op === 'tone' && sepia.strength === 0.5);
  });

  test('rotation directions: right and bare numbers are clockwise, left is counter-clockwise', () => {
    const degrees = (p: string) => {
      const s = only(p);
      return s.op === 'rotate' ? s.degrees : null;
    };
    assert.equal(degrees('rotate 90 degrees'), 90);
    assert.equal(degrees('rotate left'), 270);
    assert.equal(degrees('rotate 90 degrees counter-clockwise'), 270);
    assert.equal(degrees('rotate 270'), 270);
    assert.equal(degrees('turn it upside down'), 180);
  });

  test('targets: the background, the subject, the masked area, a named thing', () => {
    const target = (p: string) => {
      const s = only(p);
      return 'target' in s ? s.target : null;
    };
    assert.deepEqual(target('make the background black and white'), { kind: 'background' });
    assert.deepEqual(target('sharpen the person'), { kind: 'subject' });
    assert.deepEqual(target('make it sepia inside the mask'), { kind: 'mask' });
    assert.deepEqual(target('blur the license plate'), { kind: 'object', phrase: 'the license plate' });
    assert.deepEqual(target('invert'), { kind: 'default' });
  });
});

describe('compound prompts', () => {
  test('clauses joined by commas, "and", "then" and sentences run in order', () => {
    const plan = parsePrompt('Make it B&W, then rotate 90° clockwise and add a vignette. Finally crop to 4:5; sharpen');
    assert.deepEqual(
      plan.steps.map((s) => s.entry),
      ['greyscale', 'rotate', 'vignette', 'crop', 'sharpen'],
    );
  });

  test('position and size words can follow an overlay as clauses of their own', () => {
    const step = only('add the logo, small, in the top left corner');
    assert.ok(step.op === 'overlay');
    assert.deepEqual([step.anchor, step.widthFraction], ['top-left', 0.2]);
  });

  test('"remove the tree and the car": the same edit on each thing named, each looked for by name', () => {
    const targets = parsePrompt('remove the tree and the car').steps.map((s) => s.op === 'inpaint' && s.target);
    assert.deepEqual(targets, [
      { kind: 'object', phrase: 'the tree' },
      { kind: 'object', phrase: 'the car' },
    ]);
  });
});

describe("Venice's own examples", () => {
  test('the studio backdrop with a "while preserving" tail', () => {
    const plan = parsePrompt(
      'Replace the background with a modern photo studio backdrop while preserving the subject pose, facial features, and clothing.',
    );
    assert.equal(plan.steps.length, 1);
    assert.deepEqual(plan.steps[0].op === 'background' && plan.steps[0].background, { kind: 'studio' });
    assert.deepEqual(plan.constraints[0].items, ['the subject pose', 'facial features', 'clothing']);
  });

  test('inpainting tips: remove, blank sign, restore', () => {
    assert.deepEqual(only('remove the tree'), {
      op: 'inpaint',
      target: { kind: 'object', phrase: 'the tree' },
      clause: 'remove the tree',
      entry: 'remove-object',
    });
    const sign = only('replace the logo with a blank sign');
    assert.ok(sign.op === 'fill' && sign.fill.kind === 'surrounding');
    assert.equal(only('restore the torn corner of the photo').op, 'inpaint');
  });

  test('the sky: tints and graded replacements, understood the same in every wording', () => {
    const look = (prompt: string) => {
      const step = only(prompt);
      return step.op === 'sky' ? step.look : null;
    };
    assert.deepEqual(look('make the sky bluer'), look('make the sky more blue'));
    assert.deepEqual(look('make the sky bluer'), look('a bluer sky'));
    assert.equal(look('make the sky more dramatic')?.kind, 'tint');
    for (const prompt of ['replace the sky with a sunset', 'change the sky to sunset', 'sunset sky', 'give it a sunset sky']) {
      assert.deepEqual(look(prompt), { kind: 'replace', preset: 'sunset' }, prompt);
    }
    const guide = parsePrompt('Replace the cloudy sky with a warm sunrise while preserving the buildings');
    assert.deepEqual(
      guide.steps.map((s) => s.op === 'sky' && s.look),
      [{ kind: 'replace', preset: 'sunrise' }],
    );
    assert.deepEqual(guide.constraints[0].items, ['the buildings']);
    assert.deepEqual(look('make the sky a clear blue sky'), { kind: 'replace', preset: 'clear' });
  });

  test('"keep the architecture intact" is a constraint, not an instruction', () => {
    const plan = parsePrompt('Remove the tourist crowd from the square and keep the architecture intact');
    assert.equal(plan.steps.length, 1);
    assert.deepEqual(plan.constraints[0].items, ['the architecture']);
  });

  test('a tail ends where an instruction starts: "keep the face sharp and blur the background"', () => {
    const plan = parsePrompt('keep the face sharp and blur the background');
    assert.deepEqual(
      plan.steps.map((s) => s.entry),
      ['blur-background'],
    );
    assert.deepEqual(plan.constraints[0].items, ['the face']);
  });
});

describe('refusals quote the clause and say what is understood', () => {
  test('an unknown clause makes the whole prompt a 400', () => {
    refused('make it black and white and zorp the flibber', '"zorp the flibber"', 'GET /models');
    refused('make it black and white and add a dog', '"add a dog"', 'generative model');
    refused('change the sky to a starry night', '"change the sky to a starry night"', 'generative model');
    refused('make it brighter and add a rainbow over the hills', 'rainbow', 'generative model');
  });

  test('suggestions share the thing or the attribute named, or there are none', () => {
    const message = (prompt: string) => {
      try {
        parsePrompt(prompt);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    assert.doesNotMatch(message('zorp the flibber'), /Instructions it knows/);
    assert.doesNotMatch(message('make the grass dance'), /crop to 16:9/);
    // ("The lights are too glaring" is understood since round 2: the highlights are recovered.)
    assert.match(message('the lights look weird'), /Instructions it knows about the same thing: "[^"]*light/);
    // The clause is quoted as typed, not as the spelling correction read it.
    assert.match(message('the lights look weird'), /"the lights look weird"/);
  });

  test('what is recognised but impossible is explained', () => {
    refused('rotate 45 degrees', 'rotate 45 degrees', 'quarter turns');
    refused('rotate it', 'which way');
    refused('invert by 20%', 'percentage');
  });

  test('a prompt with no instruction at all', () => {
    refused('please', 'no edit instruction');
    refused('   ', 'no edit instruction');
  });
});

test('long, hostile prompts are handled quickly (no runaway pattern matching)', () => {
  for (const clause of ['zzz', 'zzz zzz']) for (const entry of VOCABULARY) entry.match(clause, {});
  const words = [
    'the',
    'of',
    'blur',
    'tree',
    'in',
    'background',
    'make',
    'it',
    'black and white',
    'from',
    'a',
    'red',
    'top',
    'right',
  ];
  const hostile = [
    Array.from({ length: 5000 }, (_, i) => words[(i * 7919) % words.length])
      .join(' ')
      .slice(0, 32_768),
    `blur ${'the tree of the '.repeat(2000)}`,
    'make it brighter, '.repeat(1800),
  ];
  for (const prompt of hostile) {
    const started = performance.now();
    try {
      parsePrompt(prompt); // the last one parses (1,800 steps; the engine then refuses more than maxSteps)
    } catch (error) {
      assert.ok(error instanceof ApiError);
    }
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
  }
});
