import { h, replaceChildren } from './dom.js';
import { localImage } from './image-source.js';
import type { Layer } from './request-plan.js';

const ROLES: Layer['role'][] = ['auto', 'overlay', 'background', 'mask'];

/**
 * Extra multi-edit layers after the base (an overlay such as a logo, a background picture, or a mask
 * made elsewhere), each with the role sent as `layer_roles`. The API takes at most 3 images in all.
 */
export class LayerList {
  readonly layers: Layer[] = [];

  constructor(
    private readonly container: HTMLElement,
    input: HTMLInputElement,
    private readonly onError: (message: string) => void,
  ) {
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.value = '';
      if (!file) return;
      try {
        this.layers.push({ image: await localImage(file, file.name), role: 'auto' });
        this.render();
      } catch (error) {
        this.onError(error instanceof Error ? error.message : String(error));
      }
    });
  }

  private render(): void {
    replaceChildren(
      this.container,
      ...this.layers.map((layer, index) => {
        const role = h(
          'select',
          { 'aria-label': `Role of layer ${index + 1}` },
          ...ROLES.map((r) => h('option', { value: r }, r)),
        );
        role.value = layer.role;
        role.addEventListener('change', () => (layer.role = role.value as Layer['role']));
        const remove = h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove layer ${index + 1}` }, 'Remove');
        remove.addEventListener('click', () => {
          this.layers.splice(index, 1);
          this.render();
        });
        return h(
          'div',
          { class: 'layer' },
          h('img', { src: layer.image.src, alt: '', class: 'checkerboard' }),
          h('span', {}, layer.image.name),
          role,
          remove,
        );
      }),
    );
  }
}
