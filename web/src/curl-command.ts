import { apiUrl, type RequestPlan } from './api-client.js';

/** Quotes a word for a POSIX shell: single quotes, with embedded ones closed and escaped. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `rt_abcd…wxyz`: enough to recognise a key, never enough to use it. */
export function maskKey(key: string): string {
  if (!key) return '(none)';
  return key.length <= 10 ? '…' : `${key.slice(0, 5)}…${key.slice(-2)}`;
}

/**
 * The curl command equivalent to a request the page made. The key is never written out: the command
 * reads it from $RETOUCH_KEY, and a comment shows a masked form so the user can tell which key it was.
 * Files are named as the page knew them; the mask and layers are the files the page would download.
 */
export function curlCommand(plan: RequestPlan, key: string): string {
  const lines = [`curl -s ${shellQuote(apiUrl(plan.path))}`, `  -H "Authorization: Bearer $RETOUCH_KEY"`];
  for (const part of plan.parts) {
    const value = 'file' in part ? `@${part.filename}` : part.value;
    // A leading @ or < would make curl read a file: send such text with --form-string.
    const option = 'file' in part || !/^[@<]/.test(value) ? '-F' : '--form-string';
    lines.push(`  ${option} ${shellQuote(`${part.name}=${value}`)}`);
  }
  lines.push(`  -o result.png`);
  return `# RETOUCH_KEY is your API key (${maskKey(key)})\n${lines.join(' \\\n')}`;
}
