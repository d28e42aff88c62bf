/**
 * Text to draw ("add the text 'SALE -50%!' in the top left corner") must survive prompt normalisation,
 * which lower-cases and drops punctuation. Quoted text is swapped for a placeholder word before
 * normalising and put back after parsing; unquoted text ("add the text SALE") gets its original letter
 * case back from the prompt.
 */

const QUOTED =
  /["\u201c\u201d\u00ab\u00bb]([^"\u201c\u201d\u00ab\u00bb]{1,200})["\u201c\u201d\u00ab\u00bb]|(?<=^|[\s:])'([^']{1,200})'(?=$|[\s,.;!?])/g;
const PLACEHOLDER = /^qtext(\d+)$/;

/** @example protectQuoted('add "Hello, World!" at the top') // { text: 'add qtext0 at the top', literals: ['Hello, World!'] } */
export function protectQuoted(prompt: string): { text: string; literals: string[] } {
  const literals: string[] = [];
  const text = prompt.replace(QUOTED, (_, double?: string, single?: string) => {
    literals.push((double ?? single ?? '').trim());
    return ` qtext${literals.length - 1} `;
  });
  return { text, literals };
}

/**
 * The text as the user wrote it: a placeholder's literal, else the same words found in the prompt with
 * their case (normalised text loses case only, so a case-insensitive search finds them).
 */
export function restoreText(parsed: string, literals: readonly string[], prompt: string): string {
  const placeholder = PLACEHOLDER.exec(parsed);
  if (placeholder) return literals[Number(placeholder[1])] ?? parsed;
  const words = parsed.split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const found = new RegExp(words.join('[\\s\\p{P}]+'), 'iu').exec(prompt);
  return found ? found[0] : parsed;
}
