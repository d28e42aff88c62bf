import sharp, { type OverlayOptions } from 'sharp';

export interface SheetRow {
  label: string;
  /** PNG files, shown left to right: original, mask, ours, Telea. */
  cells: string[];
}

const CELL_HEIGHT = 220;
const LABEL_HEIGHT = 22;
const GAP = 6;

/**
 * Writes one PNG with a row per case, every cell scaled to the same height, and a caption over each row,
 * so the fills can be compared side by side in any image viewer.
 */
export async function writeContactSheet(rows: SheetRow[], header: string[], file: string): Promise<void> {
  const cellWidths: number[] = [];
  const scaled: Buffer[][] = [];
  for (const row of rows) {
    const cells: Buffer[] = [];
    for (const cell of row.cells) {
      const { data, info } = await sharp(cell).resize({ height: CELL_HEIGHT }).png().toBuffer({ resolveWithObject: true });
      cells.push(data);
      cellWidths.push(info.width);
    }
    scaled.push(cells);
  }
  const cellWidth = Math.max(...cellWidths);
  const columns = Math.max(...rows.map((r) => r.cells.length));
  const width = columns * (cellWidth + GAP) + GAP;
  const rowHeight = LABEL_HEIGHT + CELL_HEIGHT + GAP;
  const height = LABEL_HEIGHT + rows.length * rowHeight + GAP;
  const composites: OverlayOptions[] = header.map((h, c) => ({
    input: text(h, cellWidth),
    top: 2,
    left: GAP + c * (cellWidth + GAP),
  }));
  rows.forEach((row, r) => {
    const top = LABEL_HEIGHT + r * rowHeight;
    composites.push({ input: text(row.label, width), top, left: GAP });
    scaled[r].forEach((cell, c) => {
      composites.push({ input: cell, top: top + LABEL_HEIGHT, left: GAP + c * (cellWidth + GAP) });
    });
  });
  await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(composites)
    .png()
    .toFile(file);
}

function text(label: string, width: number): Buffer {
  const escaped = label.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${LABEL_HEIGHT}">
    <text x="0" y="16" font-family="monospace" font-size="14" fill="#000" xml:space="preserve">${escaped}</text></svg>`;
  return Buffer.from(svg);
}
