import { CompareView } from './compare-view.js';
import { byId } from './dom.js';
import type { InputImage, LocalImage } from './image-source.js';
import type { MaskPainter } from './mask-painter.js';

type View = 'input' | 'compare';

/**
 * The picture area: the input with its mask canvas, or the before/after comparison, with a zoom that
 * applies to both (the stage scrolls when zoomed in).
 */
export class StageView {
  private readonly stage = byId('stage');
  private readonly empty = byId('stage-empty');
  private readonly inputView = byId('input-view');
  private readonly compareView = byId('compare-view');
  private readonly inputImage = byId<HTMLImageElement>('input-image');
  private readonly resultImage = byId<HTMLImageElement>('result-image');
  private readonly inputTab = byId<HTMLButtonElement>('view-input');
  private readonly compareTab = byId<HTMLButtonElement>('view-compare');
  private readonly zoom = byId<HTMLSelectElement>('zoom');
  private readonly compare = new CompareView(
    byId<HTMLImageElement>('before-image'),
    this.resultImage,
    byId('after-clip'),
    byId('compare-divider'),
    byId<HTMLInputElement>('compare-slider'),
  );
  private view: View = 'input';
  private input?: InputImage;
  private result?: LocalImage;

  constructor(private readonly painter: MaskPainter) {
    this.inputTab.addEventListener('click', () => this.select('input'));
    this.compareTab.addEventListener('click', () => this.select('compare'));
    this.zoom.addEventListener('change', () => this.applyZoom());
  }

  /** A new input: shown for painting, with a fresh mask of its size; any old comparison is put away. */
  showInput(image: InputImage): void {
    this.input = image;
    this.result = undefined;
    this.compareTab.disabled = true;
    if (image.kind === 'local') {
      this.inputImage.src = image.src;
      this.inputImage.alt = `Input: ${image.name}, ${image.width}×${image.height}`;
      this.painter.reset(image.width, image.height);
      this.empty.hidden = true;
    } else {
      // No pixels here, so no mask: an old one must not travel with a new image.
      this.painter.reset(0, 0);
      // The page may not load other sites' images (CSP), so it says what will happen instead.
      this.empty.textContent = `Input: ${image.url}. The server fetches this URL when you run; there is no preview, and masks need a local image.`;
      this.empty.hidden = false;
    }
    this.select('input');
  }

  /** A result beside its input, in the before/after view. */
  showResult(before: InputImage, result: LocalImage): void {
    this.result = result;
    this.resultImage.dataset.width = String(result.width);
    this.resultImage.dataset.height = String(result.height);
    this.compare.show(before.kind === 'local' ? before.src : result.src, result.src);
    this.compareTab.disabled = false;
    this.select('compare');
  }

  select(view: View): void {
    this.view = view;
    const hasLocal = this.input?.kind === 'local';
    this.inputView.hidden = view !== 'input' || !hasLocal;
    this.compareView.hidden = view !== 'compare';
    if (view === 'compare') this.empty.hidden = true;
    else this.empty.hidden = hasLocal;
    this.inputTab.setAttribute('aria-selected', String(view === 'input'));
    this.compareTab.setAttribute('aria-selected', String(view === 'compare'));
    this.applyZoom();
  }

  private applyZoom(): void {
    const factor = this.zoom.value === 'fit' ? 0 : Number(this.zoom.value);
    const shown = this.view === 'compare' ? this.result : this.input?.kind === 'local' ? this.input : undefined;
    this.stage.classList.toggle('zoomed', factor > 0);
    for (const frame of [byId('input-frame'), byId('compare-frame')]) {
      // At "fit" the frame follows the image's CSS max-width; zoomed, it takes N image pixels per pixel.
      frame.style.width = factor > 0 && shown ? `${shown.width * factor}px` : '';
    }
    for (const image of this.stage.querySelectorAll('img')) image.style.width = factor > 0 ? '100%' : '';
  }
}
