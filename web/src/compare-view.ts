/**
 * The before/after view: the result drawn over the input and clipped at the slider's position, so the
 * left part shows the input and the right part the result. Both are stretched to the result's box, which
 * keeps them aligned when the result has the input's size (edits) and still comparable when it does not
 * (crops, upscales).
 */
export class CompareView {
  constructor(
    private readonly before: HTMLImageElement,
    private readonly after: HTMLImageElement,
    private readonly clip: HTMLElement,
    private readonly divider: HTMLElement,
    private readonly slider: HTMLInputElement,
  ) {
    slider.addEventListener('input', () => this.position(Number(slider.value)));
    this.position(Number(slider.value));
  }

  show(beforeSrc: string, afterSrc: string): void {
    this.before.src = beforeSrc;
    this.after.src = afterSrc;
    this.position(Number(this.slider.value));
  }

  /** `percent` of the width, from the left, shows the input. */
  position(percent: number): void {
    // Styles set through the CSSOM are allowed by the page's CSP (inline style attributes are not).
    this.clip.style.clipPath = `inset(0 0 0 ${percent}%)`;
    this.divider.style.left = `${percent}%`;
  }
}
