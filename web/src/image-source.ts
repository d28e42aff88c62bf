/**
 * Where an input image comes from: a file, a drop, a paste, a same-origin URL (all become a Blob the page
 * can show and paint on), or another site's URL, which the page never loads itself (its CSP forbids it):
 * that URL is handed to the API, whose server fetches it under its SSRF rules.
 */

export interface LocalImage {
  kind: 'local';
  blob: Blob;
  /** An object URL of the blob, for <img>. */
  src: string;
  name: string;
  width: number;
  height: number;
}

export interface RemoteImage {
  kind: 'remote';
  url: string;
  name: string;
}

export type InputImage = LocalImage | RemoteImage;

/** Reads a blob's size; refuses what the browser cannot decode, with a message for the page. */
export async function localImage(blob: Blob, name: string): Promise<LocalImage> {
  if (blob.type && !blob.type.startsWith('image/')) throw new Error(`${name} is not an image (${blob.type})`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new Error(`${name} could not be decoded as an image by this browser`);
  }
  const { width, height } = bitmap;
  bitmap.close();
  return { kind: 'local', blob, src: URL.createObjectURL(blob), name, width, height };
}

/** A typed URL: same-origin ones are loaded here; others go to the server as they are. */
export async function imageFromUrl(text: string): Promise<InputImage> {
  let url: URL;
  try {
    url = new URL(text, document.baseURI);
  } catch {
    throw new Error(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('Only http and https URLs can be used');
  const name = decodeURIComponent(url.pathname.split('/').pop() || 'image');
  if (url.origin !== location.origin) return { kind: 'remote', url: url.href, name };
  const response = await fetch(url, { credentials: 'omit' });
  if (!response.ok) throw new Error(`${url.href} answered ${response.status}`);
  return localImage(await response.blob(), name);
}

/** The first image file in a drop or a paste, if any. */
export function firstImageFile(items: DataTransfer | null): File | undefined {
  if (!items) return undefined;
  for (const file of Array.from(items.files)) if (file.type.startsWith('image/')) return file;
  return undefined;
}

/** Wires the file picker, drag and drop onto `dropZone`, and paste anywhere on the page. */
export function watchImageSources(options: {
  fileInput: HTMLInputElement;
  dropZone: HTMLElement;
  urlForm: HTMLFormElement;
  urlInput: HTMLInputElement;
  onImage: (image: Promise<InputImage>) => void;
}): void {
  const { fileInput, dropZone, urlForm, urlInput, onImage } = options;
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) onImage(localImage(file, file.name));
    fileInput.value = ''; // choosing the same file again still fires change
  });
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropZone.classList.add('dragging');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('dragging');
    const file = firstImageFile(event.dataTransfer);
    const text = event.dataTransfer?.getData('text/uri-list') || event.dataTransfer?.getData('text/plain');
    if (file) onImage(localImage(file, file.name));
    else if (text) onImage(imageFromUrl(text.trim()));
  });
  document.addEventListener('paste', (event) => {
    const target = event.target as HTMLElement | null;
    // Pasting text into a field is typing, not loading an image.
    const file = firstImageFile(event.clipboardData);
    if (!file && target?.closest('input, textarea')) return;
    if (file) {
      event.preventDefault();
      onImage(localImage(file, file.name || 'pasted.png'));
    }
  });
  urlForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = urlInput.value.trim();
    if (text) onImage(imageFromUrl(text));
  });
}
