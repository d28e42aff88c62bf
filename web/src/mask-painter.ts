/**
 * Mask painting over the input image. The mask is a canvas at the image's own pixel size, laid over the
 * image and scaled with it by CSS; strokes are drawn in a tint colour and only their coverage (alpha)
 * matters. It leaves as an opaque PNG, white where painted and black elsewhere, which is the convention
 * the API reads as "edit where white".
 */

export type MaskTool = 'brush' | 'eraser';

const TINT = 'rgb(255, 0, 90)';
const UNDO_DEPTH = 30;

export class MaskPainter {
  tool: MaskTool = 'brush';
  /** Brush diameter in screen pixels, so it feels the same at every zoom. */
  size = 40;
  private readonly context: CanvasRenderingContext2D;
  private readonly undoStack: ImageData[] = [];
  private last?: { x: number; y: number };

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onChange: () => void,
  ) {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2D canvas');
    this.context = context;
    canvas.addEventListener('pointerdown', (event) => this.start(event));
    canvas.addEventListener('pointermove', (event) => this.move(event));
    canvas.addEventListener('pointerup', () => this.end());
    canvas.addEventListener('pointercancel', () => this.end());
    // A drag on the canvas paints; it must not start a text selection across the page.
    canvas.addEventListener('mousedown', (event) => event.preventDefault());
  }

  /** A fresh, empty mask for an image of this size. */
  reset(width: number, height: number): void {
    this.canvas.width = width;
    this.canvas.height = height;
    this.undoStack.length = 0;
    this.onChange();
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  undo(): void {
    const previous = this.undoStack.pop();
    if (!previous) return;
    this.context.putImageData(previous, 0, 0);
    this.onChange();
  }

  clear(): void {
    this.remember();
    this.context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.onChange();
  }

  /** Painted becomes unpainted and the other way round ("edit everything but this"). */
  invert(): void {
    this.remember();
    const image = this.context.getImageData(0, 0, this.canvas.width, this.canvas.height);
    const data = image.data;
    for (let i = 0; i < data.length; i += 4) {
      data[i] = 255;
      data[i + 1] = 0;
      data[i + 2] = 90;
      data[i + 3] = 255 - data[i + 3];
    }
    this.context.putImageData(image, 0, 0);
    this.onChange();
  }

  isEmpty(): boolean {
    if (this.canvas.width === 0 || this.canvas.height === 0) return true;
    const data = this.context.getImageData(0, 0, this.canvas.width, this.canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return false;
    return true;
  }

  /** The mask as the API wants it: an opaque greyscale PNG, white where painted. */
  async toPng(): Promise<Blob> {
    const { width, height } = this.canvas;
    const coverage = this.context.getImageData(0, 0, width, height).data;
    const out = new ImageData(width, height);
    for (let i = 0; i < coverage.length; i += 4) {
      const v = coverage[i + 3];
      out.data[i] = v;
      out.data[i + 1] = v;
      out.data[i + 2] = v;
      out.data[i + 3] = 255;
    }
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d')!.putImageData(out, 0, 0);
    return new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('mask encoding failed'))), 'image/png'),
    );
  }

  private remember(): void {
    if (this.canvas.width === 0) return;
    this.undoStack.push(this.context.getImageData(0, 0, this.canvas.width, this.canvas.height));
    if (this.undoStack.length > UNDO_DEPTH) this.undoStack.shift();
  }

  /** Screen position to image pixels, and the brush radius in image pixels. */
  private locate(event: PointerEvent) {
    const box = this.canvas.getBoundingClientRect();
    const scale = this.canvas.width / box.width;
    return { x: (event.clientX - box.left) * scale, y: (event.clientY - box.top) * scale, width: this.size * scale };
  }

  private start(event: PointerEvent): void {
    if (event.button !== 0 || this.canvas.width === 0) return;
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    this.remember();
    const point = this.locate(event);
    this.last = point;
    this.stroke(point, point, point.width);
  }

  private move(event: PointerEvent): void {
    if (!this.last) return;
    const point = this.locate(event);
    this.stroke(this.last, point, point.width);
    this.last = point;
  }

  private end(): void {
    if (!this.last) return;
    this.last = undefined;
    this.onChange();
  }

  private stroke(from: { x: number; y: number }, to: { x: number; y: number }, width: number): void {
    const c = this.context;
    c.globalCompositeOperation = this.tool === 'eraser' ? 'destination-out' : 'source-over';
    if (from.x === to.x && from.y === to.y) {
      // A click without a drag: a dot (a zero-length line draws nothing in some browsers).
      c.fillStyle = TINT;
      c.beginPath();
      c.arc(to.x, to.y, width / 2, 0, 2 * Math.PI);
      c.fill();
      return;
    }
    c.strokeStyle = TINT;
    c.lineWidth = width;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
  }
}
