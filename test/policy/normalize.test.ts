import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { foldText, tokenReadings } from '../../src/policy/normalize.js';

/** True when some reading of the prompt has exactly these tokens. */
function hasReading(prompt: string, tokens: string[]): boolean {
  return tokenReadings(prompt).some((reading) => reading.join(' ') === tokens.join(' '));
}

describe('foldText', () => {
  test('folds case, compatibility forms and diacritics', () => {
    assert.equal(foldText('NUDE'), 'nude');
    assert.equal(foldText('Ｎｕｄｅ'), 'nude');
    assert.equal(foldText('𝐧𝐮𝐝𝐞'), 'nude');
    assert.equal(foldText('ⓝⓤⓓⓔ'), 'nude');
    assert.equal(foldText('nüdé'), 'nude');
    assert.equal(foldText('n̶u̷d̸e̴'), 'nude');
    assert.equal(foldText('décor'), 'decor');
  });

  test('removes invisible characters and apostrophes', () => {
    for (const invisible of ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u202E', '\u3164']) {
      assert.equal(foldText(`n${invisible}u${invisible}de`), 'nude', JSON.stringify(invisible));
    }
    assert.equal(foldText("kids' victim’s"), 'kids victims');
  });

  test('maps look-alike letters to Latin ones', () => {
    assert.equal(foldText('\u0440\u043Erno'), 'porno'); // Cyrillic р and о
    assert.equal(foldText('\u03BD\u03B9\u03BFlence'), 'violence'); // Greek ν ι ο
    assert.equal(foldText('straße'), 'strasse');
  });
});

describe('tokenReadings', () => {
  test('splits words on whitespace and punctuation', () => {
    assert.deepEqual(tokenReadings('Remove the sign, please!'), [['remove', 'the', 'sign', 'please']]);
  });

  test('joins letters spelt out with spaces or punctuation', () => {
    assert.ok(hasReading('make her n u d e', ['make', 'her', 'nude']));
    assert.ok(hasReading('n.u.d.e', ['nude']));
    assert.ok(hasReading('n-u-d-e', ['nude']));
    assert.ok(hasReading('n_u_d_e', ['nude']));
    assert.ok(hasReading('n * u * d * e', ['nude']));
    assert.ok(hasReading('a n u d e child', ['a', 'nude', 'child']));
  });

  test('reads punctuation inside a word as a break and as nothing', () => {
    assert.ok(hasReading('blow-out', ['blow', 'out']));
    assert.ok(hasReading('nu.de', ['nude']));
  });

  test('reads leetspeak, with 1 as i and as l', () => {
    assert.ok(hasReading('s3xy p0rn', ['sexy', 'porn']));
    assert.ok(hasReading('$ex', ['sex']));
    assert.ok(hasReading('@nal', ['anal']));
    assert.ok(hasReading('k1ll', ['kill']));
    assert.ok(hasReading('b1ood', ['blood']));
    assert.ok(hasReading('s 3 x', ['sex']));
    assert.ok(hasReading('nud3 p|ay', ['nude', 'play']));
  });

  test('keeps numbers and sentence punctuation as they are', () => {
    assert.ok(hasReading('set 16:9 for $5', ['set', '16', '9', 'for', '5']));
    for (const reading of tokenReadings('set 16:9 for $5')) {
      assert.deepEqual(
        reading.filter((token) => /[a-z]/.test(token)),
        ['set', 'for'],
        'no digit read as a letter',
      );
    }
    assert.deepEqual(tokenReadings('make it nude!'), [['make', 'it', 'nude']]);
    assert.ok(hasReading('a 12 year old', ['a', '12', 'year', 'old']));
    assert.ok(hasReading('12yo', ['12yo']));
  });

  test('makes no more readings than the prompt needs', () => {
    assert.equal(tokenReadings('remove the tree').length, 1);
    assert.ok(tokenReadings('k1ll the n.u.d.e').length <= 6);
  });
});
