/** The API key, kept in this browser's localStorage under one name so that "Forget" removes it all. */
const STORAGE_NAME = 'retouch.apiKey';

export function loadKey(): string {
  try {
    return localStorage.getItem(STORAGE_NAME) ?? '';
  } catch {
    return ''; // storage disabled (private mode, policy): the key lives in the field only
  }
}

export function saveKey(key: string): void {
  try {
    if (key) localStorage.setItem(STORAGE_NAME, key);
    else localStorage.removeItem(STORAGE_NAME);
  } catch {
    /* storage disabled: nothing to keep */
  }
}

export function forgetKey(): void {
  saveKey('');
}
