import { byId } from './dom.js';
import type { MaskPainter, MaskTool } from './mask-painter.js';

const MIN_SIZE = 4;
const MAX_SIZE = 200;

/**
 * The mask toolbar and its keyboard shortcuts: [ and ] shrink and grow the brush, Ctrl+Z (or Cmd+Z)
 * undoes the last stroke. Shortcuts are ignored while typing in a field, where those keys mean text.
 */
export function setupMaskTools(painter: MaskPainter): void {
  const brush = byId<HTMLButtonElement>('tool-brush');
  const eraser = byId<HTMLButtonElement>('tool-eraser');
  const size = byId<HTMLInputElement>('brush-size');
  const sizeValue = byId<HTMLOutputElement>('brush-size-value');

  const chooseTool = (tool: MaskTool) => {
    painter.tool = tool;
    brush.setAttribute('aria-pressed', String(tool === 'brush'));
    eraser.setAttribute('aria-pressed', String(tool === 'eraser'));
  };
  const setSize = (value: number) => {
    painter.size = Math.max(MIN_SIZE, Math.min(MAX_SIZE, Math.round(value)));
    size.value = String(painter.size);
    sizeValue.value = String(painter.size);
  };

  brush.addEventListener('click', () => chooseTool('brush'));
  eraser.addEventListener('click', () => chooseTool('eraser'));
  size.addEventListener('input', () => setSize(Number(size.value)));
  byId('mask-undo').addEventListener('click', () => painter.undo());
  byId('mask-clear').addEventListener('click', () => painter.clear());
  byId('mask-invert').addEventListener('click', () => painter.invert());
  setSize(Number(size.value));

  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    if (target?.closest('input[type="text"], input[type="url"], input[type="password"], input[type="number"], textarea, select'))
      return;
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      painter.undo();
    } else if (event.key === '[' && !event.ctrlKey && !event.metaKey) {
      setSize(painter.size / 1.25);
    } else if (event.key === ']' && !event.ctrlKey && !event.metaKey) {
      setSize(painter.size * 1.25);
    }
  });
}
