import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { anchorsOf, filesUnder } from './markdown-headings.js';

/**
 * Every relative link of the README, docs/ and bench/ notes reaches a file that exists, and a heading
 * that exists when it names one: docs moved between pages must not leave dead links behind.
 */
const LINK = /\]\(([^)\s]+)\)/g;

test('relative links in the docs reach an existing file and heading', () => {
  const pages = ['README.md', ...filesUnder('docs', (n) => n.endsWith('.md')), ...filesUnder('bench', (n) => n.endsWith('.md'))];
  let checked = 0;
  for (const page of pages) {
    const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const [, href] of text.matchAll(LINK)) {
      if (/^[a-z]+:/.test(href)) continue;
      const [target, anchor] = href.split('#');
      const file = target ? path.join(path.dirname(page), target) : page;
      assert.ok(existsSync(file), `${page} links to ${href}: no such file`);
      if (anchor) assert.ok(anchorsOf(file).has(anchor), `${page} links to ${href}: no heading #${anchor} in ${file}`);
      checked++;
    }
  }
  assert.ok(checked >= 40, `only ${checked} links found: is the pattern right?`);
});
