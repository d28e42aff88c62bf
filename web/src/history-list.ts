import { h } from './dom.js';
import type { LocalImage } from './image-source.js';

/** One image of the session: the first input, and every result. */
export interface HistoryEntry {
  image: LocalImage;
  label: string;
}

/**
 * The session's chain of images, oldest first. Choosing one makes it the input again, so a user can go
 * back and branch. Nothing is stored beyond the page's life (the images are object URLs).
 */
export class HistoryList {
  readonly entries: HistoryEntry[] = [];

  constructor(
    private readonly list: HTMLOListElement,
    private readonly onChoose: (entry: HistoryEntry) => void,
  ) {}

  add(entry: HistoryEntry): void {
    if (this.entries.some((e) => e.image.src === entry.image.src)) return;
    this.entries.push(entry);
    const index = this.entries.length;
    const button = h(
      'button',
      { type: 'button', title: `Use "${entry.label}" as the input`, 'data-index': String(index) },
      h('img', { src: entry.image.src, alt: '', class: 'checkerboard' }),
      `${index}. ${entry.label}`,
    );
    button.addEventListener('click', () => this.onChoose(entry));
    this.list.append(h('li', {}, button));
  }
}
