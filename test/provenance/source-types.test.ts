import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planActions } from '../../src/engines/local-edit/run/provenance-actions.js';
import { engineActions, overallSourceType } from '../../src/provenance/source-types.js';
import { xmpPacket } from '../../src/provenance/xmp.js';

const model = (over: Partial<{ generative: boolean; upscaler: boolean }>) => ({
  id: 'm',
  engine: 'k',
  generative: false,
  upscaler: false,
  ...over,
});

test('each kind of model gets the digital source type docs/provenance.md gives it', () => {
  const pick = (operation: string, facts: ReturnType<typeof model>) =>
    engineActions(operation, facts).map((a) => [a.action, a.sourceType]);
  assert.deepEqual(pick('edit', model({ generative: true })), [['c2pa.edited', 'trainedAlgorithmicMedia']]);
  assert.deepEqual(pick('upscale', model({ upscaler: true })), [['c2pa.resized', 'compositeWithTrainedAlgorithmicMedia']]);
  assert.deepEqual(pick('background-remove', model({})), [['c2pa.edited', 'algorithmicallyEnhanced']]);
  assert.deepEqual(pick('edit', model({})), [['c2pa.edited', 'algorithmicallyEnhanced']]);
});

test('the picture takes the strongest source type of its actions', () => {
  const step = (sourceType: 'algorithmicallyEnhanced' | 'compositeWithTrainedAlgorithmicMedia' | 'trainedAlgorithmicMedia') =>
    ({ action: 'c2pa.edited', description: '', sourceType }) as const;
  assert.equal(overallSourceType([]), 'algorithmicallyEnhanced');
  assert.equal(
    overallSourceType([step('algorithmicallyEnhanced'), step('compositeWithTrainedAlgorithmicMedia')]),
    'compositeWithTrainedAlgorithmicMedia',
  );
  assert.equal(overallSourceType([step('trainedAlgorithmicMedia'), step('algorithmicallyEnhanced')]), 'trainedAlgorithmicMedia');
});

test("local-edit's plan: every step classical, the super-resolution step AI-made detail", () => {
  const actions = planActions(
    {
      steps: [
        {
          step: {
            op: 'tone',
            clause: 'make it warm',
            entry: 'warm',
            tone: { kind: 'temperature', amount: 1 } as never,
            target: { kind: 'default' },
            strength: 1,
          },
          region: 'all',
        },
        {
          step: { op: 'inpaint', clause: 'remove the tree', entry: 'remove', target: { kind: 'object', phrase: 'tree' } },
          region: 'found',
        },
        { step: { op: 'text', clause: 'add SALE', entry: 'text', text: 'SALE', anchor: 'top-left' as never }, region: null },
      ],
      layers: {} as never,
      upscale: {} as never,
    },
    'upscaler',
    '1:1',
  );
  assert.deepEqual(
    actions.map((a) => [a.action, a.sourceType]),
    [
      ['c2pa.color_adjustments', 'algorithmicallyEnhanced'],
      ['c2pa.edited', 'algorithmicallyEnhanced'],
      ['c2pa.drawing', 'algorithmicallyEnhanced'],
      ['c2pa.cropped', 'algorithmicallyEnhanced'],
      ['c2pa.resized', 'compositeWithTrainedAlgorithmicMedia'],
    ],
  );
  assert.match(actions[1]!.description, /object detectors/);
  assert.ok(!actions.some((a) => a.description.includes('remove the tree')), 'no prompt text');
  assert.equal(actions[4]!.model, 'upscaler');
});

test('the XMP packet escapes the creator tool and names the IPTC type', () => {
  const xmp = xmpPacket('trainedAlgorithmicMedia', 'retouch 1 (<a&b>)');
  assert.match(
    xmp,
    /Iptc4xmpExt:DigitalSourceType="http:\/\/cv\.iptc\.org\/newscodes\/digitalsourcetype\/trainedAlgorithmicMedia"/,
  );
  assert.ok(xmp.includes('retouch 1 (&#60;a&#38;b&#62;)'));
});
