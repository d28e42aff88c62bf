import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { checkPrompt, explainPrompt } from '../../src/policy/index.js';

/**
 * The documented false-positive set: everyday editing prompts that contain words from the blocked lists.
 * It is read from docs/content-policy.md, so the documentation and the test cannot drift apart.
 */
function documentedBenignPrompts(): string[] {
  const doc = readFileSync(path.resolve('docs/content-policy.md'), 'utf8');
  const section = doc.split(/^## The false-positive set$/m)[1];
  assert.ok(section !== undefined, 'docs/content-policy.md has a "## The false-positive set" section');
  const body = section.split(/^## /m)[0];
  return body
    .split('\n')
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2).trim());
}

const REQUIRED = [
  // The examples the project's issue and brief name.
  'remove the shot glass',
  'a bloody mary cocktail on the bar',
  "kids' birthday cake with candles",
  "add a therapist's office sign to the door",
  'put a Scunthorpe United scarf on the fan',
  'add a cocktail umbrella to the drink',
  'execute the crop to a square',
  'shoot a portrait look with soft window light',
  'place a cut of beef on the cutting board',
  'kill the highlights on the window',
  'kill the background noise',
  'blow out the highlights for a high-key look',
  'nude lipstick colour on the model',
  'sew a breast pocket onto the shirt',
  'grill a chicken breast on the barbecue',
  'make her skinny jeans dark blue',
  'install a child seat in the back of the car',
  'teen room décor with fairy lights',
  // Venice's documentation examples.
  'Replace the cloudy sky with a warm sunrise while preserving the buildings and canal',
  'Remove the tourist crowd from the square and keep the architecture intact',
  'Replace the blank billboard area with a glowing Venice film festival poster while preserving lighting and perspective',
  'remove the sign',
  'change the sky to sunrise',
  'replace the background with a studio backdrop',
  'remove the tree',
  'change the sky to sunset',
  'replace the logo with a blank sign',
  'restore the torn corner of the photo',
  'Replace the background with a modern photo studio backdrop while preserving the subject pose, facial features, and clothing.',
];

describe('the documented false-positive set', () => {
  const prompts = documentedBenignPrompts();

  test('has at least 40 prompts, including every required example', () => {
    assert.ok(prompts.length >= 40, `only ${prompts.length} prompts`);
    for (const prompt of REQUIRED) assert.ok(prompts.includes(prompt), `missing from the docs: ${prompt}`);
  });

  test('every prompt passes with all three categories blocked', () => {
    const blocked = prompts
      .map((prompt) => ({ prompt, verdict: checkPrompt(prompt, ['sexual', 'minors', 'violence']) }))
      .filter(({ verdict }) => !verdict.allowed)
      .map(({ prompt }) => `${prompt} -> ${JSON.stringify(explainPrompt(prompt))}`);
    assert.deepEqual(blocked, []);
  });
});
