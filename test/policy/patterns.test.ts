import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Lexicon, PreparedReading, spanDistance, squeeze } from '../../src/policy/patterns.js';

/** The phrases of `phrases` found in a space-separated token string. */
function found(phrases: string[], text: string): string[] {
  return new Lexicon(phrases).matches(new PreparedReading(text.split(' '))).map((span) => span.phrase);
}

describe('Lexicon', () => {
  test('matches whole tokens only', () => {
    assert.deepEqual(found(['nude'], 'a nude figure'), ['nude']);
    assert.deepEqual(found(['nude'], 'denuded nudes'), []);
    assert.deepEqual(found(['tit'], 'therapist scunthorpe titan'), []);
  });

  test('matches multi-word phrases on consecutive tokens', () => {
    assert.deepEqual(found(['bloody mary'], 'a bloody mary please'), ['bloody mary']);
    assert.deepEqual(found(['bloody mary'], 'bloody awful mary'), []);
    assert.deepEqual(found(['bloody mary'], 'a bloody'), []);
  });

  test('reads alternatives, prefixes and wildcards', () => {
    assert.deepEqual(found(['slit|cut _ throat'], 'cut his throat'), ['slit|cut _ throat']);
    assert.deepEqual(found(['behead*'], 'beheading'), ['behead*']);
    assert.deepEqual(found(['behead*'], 'behold'), []);
    assert.deepEqual(found(['pool|puddle of blood'], 'a puddle of blood'), ['pool|puddle of blood']);
  });

  test('matches lengthened letters but never dropped ones', () => {
    assert.deepEqual(found(['nude'], 'nuuuuude'), ['nude']);
    assert.deepEqual(found(['sexy'], 'sexxy'), ['sexy']);
    assert.deepEqual(found(['boobs'], 'bobs'), []);
    assert.deepEqual(found(['cock'], 'cook'), []);
    assert.deepEqual(found(['kill'], 'kil'), []);
    assert.deepEqual(found(['porn*'], 'poooornography'), ['porn*']);
  });

  test('matches digits exactly and ages under 18', () => {
    assert.deepEqual(found(['<age> year old'], '12 year old'), ['<age> year old']);
    assert.deepEqual(found(['<age> year old'], 'twelve year old'), ['<age> year old']);
    assert.deepEqual(found(['<age> year old'], '18 year old'), []);
    assert.deepEqual(found(['<age> year old'], '111 year old'), []);
    assert.deepEqual(found(['<age-yo>'], '9yo 17yrs 25yo'), ['<age-yo>', '<age-yo>']);
  });

  test('ignores blanked tokens', () => {
    const reading = new PreparedReading(['bloody', 'mary', 'cocktail']);
    const lexicon = new Lexicon(['bloody', 'mary _']);
    assert.equal(lexicon.matches(reading).length, 2);
    assert.deepEqual(
      lexicon.matches(reading.blank([{ start: 0, end: 1, phrase: '' }])).map((s) => s.phrase),
      ['mary _'],
    );
    assert.deepEqual(
      lexicon.matches(reading.blank([{ start: 2, end: 3, phrase: '' }])).map((s) => s.phrase),
      ['bloody'],
    );
  });

  test('refuses malformed phrases', () => {
    assert.throws(() => new Lexicon(['nu de?']), /Invalid word/);
    assert.throws(() => new Lexicon(['_ throat']), /Invalid policy phrase/);
    assert.throws(() => new Lexicon(['ab*']), /Invalid word/);
  });
});

describe('helpers', () => {
  test('squeeze reduces runs of a letter to one', () => {
    assert.equal(squeeze('nuuuude'), 'nude');
    assert.equal(squeeze('bookkeeper'), 'bokeper');
  });

  test('spanDistance counts adjacent spans as 1 and overlapping ones as 0', () => {
    const span = (start: number, end: number) => ({ start, end, phrase: '' });
    assert.equal(spanDistance(span(0, 1), span(1, 2)), 1);
    assert.equal(spanDistance(span(5, 7), span(0, 2)), 4);
    assert.equal(spanDistance(span(0, 3), span(2, 4)), 0);
  });
});
