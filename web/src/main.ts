import { AccountView } from './account-view.js';
import {
  ApiFailure,
  fetchModels,
  fetchProgress,
  sendPlan,
  type ModelInfo,
  type Operation,
  type RequestPlan,
} from './api-client.js';
import { balanceText, moneyText, readBalance } from './balance.js';
import { curlCommand } from './curl-command.js';
import { byId, h, replaceChildren } from './dom.js';
import { HistoryList } from './history-list.js';
import { localImage, watchImageSources, type InputImage, type LocalImage } from './image-source.js';
import { forgetKey, loadKey, saveKey } from './key-store.js';
import { LayerList } from './layer-list.js';
import { MaskPainter } from './mask-painter.js';
import { fillModelPicker, renderModelInfo } from './models-panel.js';
import { fieldParts, renderFields } from './request-fields.js';
import { forPage } from './page-words.js';
import { buildPlan, planProblem } from './request-plan.js';
import { StageView } from './stage-view.js';
import { setupMaskTools } from './mask-tools.js';

/** The page's state; everything else is derived from it and from the DOM. */
const state = {
  operation: 'edit' as Operation,
  models: [] as ModelInfo[],
  input: undefined as InputImage | undefined,
  result: undefined as LocalImage | undefined,
  lastPlan: undefined as RequestPlan | undefined,
  running: undefined as AbortController | undefined,
  runs: 0,
};

const keyInput = byId<HTMLInputElement>('api-key');
const picker = byId<HTMLSelectElement>('model');
const prompt = byId<HTMLTextAreaElement>('prompt');
const fields = byId('extra-fields');
const status = byId('status');
const runButton = byId<HTMLButtonElement>('run');
const cancelButton = byId<HTMLButtonElement>('cancel');
const progress = byId<HTMLProgressElement>('progress');
const download = byId<HTMLAnchorElement>('download');
const useResult = byId<HTMLButtonElement>('use-result');
const copyCurl = byId<HTMLButtonElement>('copy-curl');
const curlBox = byId('curl');

const painter = new MaskPainter(byId<HTMLCanvasElement>('mask-canvas'), () => updateMaskButtons());
const stage = new StageView(painter);
const layers = new LayerList(byId('layers'), byId<HTMLInputElement>('layer-input'), (message) => showMessage('error', message));
const history = new HistoryList(byId<HTMLOListElement>('history'), (entry) => setInput(entry.image));

/**
 * Writes the status line, under the Run button; `data-state` lets the browser tests wait for an outcome.
 * Every error goes through here, so every error is brought into view: a person who scrolled down to the
 * history, or opened a long model description, still sees why nothing happened.
 */
function showMessage(kind: 'info' | 'ok' | 'error', ...content: Array<Node | string>): void {
  replaceChildren(status, kind === 'info' ? h('span', {}, ...content) : h('span', { class: kind }, ...content));
  if (kind === 'error') revealStatus();
}

function revealStatus(): void {
  const box = status.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) status.scrollIntoView({ block: 'nearest' });
}

/** Reads the key's balance now (see balance.ts), so it is known before the first paid request. */
async function refreshBalance(): Promise<void> {
  const key = keyInput.value.trim();
  const reading = await readBalance(key);
  // A reading for a key since changed or forgotten is dropped.
  if (keyInput.value.trim() === key) byId('balance').textContent = balanceText(reading);
}

function setState(name: 'idle' | 'running' | 'done' | 'error' | 'cancelled', httpStatus?: number): void {
  status.dataset.state = name;
  if (httpStatus === undefined) delete status.dataset.httpStatus;
  else status.dataset.httpStatus = String(httpStatus);
}

function updateMaskButtons(): void {
  byId<HTMLButtonElement>('mask-undo').disabled = !painter.canUndo;
}

function setInput(image: InputImage): void {
  state.input = image;
  state.result = undefined;
  useResult.disabled = true;
  download.setAttribute('aria-disabled', 'true');
  download.removeAttribute('href');
  stage.showInput(image);
  if (image.kind === 'local') history.add({ image, label: image.name });
  updateMaskButtons();
}

function onOperationChange(): void {
  state.operation = (document.querySelector<HTMLInputElement>('input[name="operation"]:checked')?.value ?? 'edit') as Operation;
  byId('mask-tools').hidden = state.operation !== 'multi-edit';
  byId('prompt-field').hidden = state.operation === 'background-remove' || state.operation === 'upscale';
  onModelChange(fillModelPicker(picker, state.models, state.operation));
}

function onModelChange(model = state.models.find((m) => m.id === picker.value)): void {
  renderModelInfo(byId('model-info'), model, state.models, state.operation);
  renderFields(fields, state.operation, model);
  runButton.disabled = !model;
  const limit = Number(model?.model_spec.constraints?.promptCharacterLimit);
  if (limit > 0) prompt.maxLength = limit;
}

async function loadModels(): Promise<void> {
  try {
    state.models = await fetchModels();
  } catch (error) {
    showMessage(
      'error',
      `Could not list the models: ${error instanceof ApiFailure ? `${error.status} ${error.message}` : String(error)}`,
    );
  }
  onOperationChange();
}

async function run(): Promise<void> {
  if (status.dataset.state === 'running') return; // one request at a time
  setState('running');
  const problem = planProblem(state.input);
  if (problem || !state.input) {
    setState('error');
    showMessage('error', problem ?? '');
    return;
  }
  const input = state.input;
  const plan = buildPlan({
    operation: state.operation,
    modelId: picker.value,
    prompt: prompt.value,
    image: input,
    mask: state.operation === 'multi-edit' && !painter.isEmpty() ? await painter.toPng() : undefined,
    layers: state.operation === 'multi-edit' ? layers.layers : [],
    fields: fieldParts(fields),
  });
  state.lastPlan = plan;
  copyCurl.disabled = false;
  curlBox.hidden = true;
  const controller = new AbortController();
  state.running = controller;
  runButton.disabled = true;
  cancelButton.disabled = false;
  progress.hidden = false;
  const started = Date.now();
  const ticker = setInterval(
    () => showMessage('info', `Running ${plan.operation}… ${Math.round((Date.now() - started) / 1000)} s`),
    500,
  );
  showMessage('info', `Running ${plan.operation}…`);
  // Upscales report tiles done of total: the bar fills as they come (other operations stay indeterminate).
  const token = plan.operation === 'upscale' ? crypto.randomUUID() : undefined;
  const follower = token ? setInterval(() => void showProgress(token, keyInput.value.trim()), 1000) : undefined;
  try {
    const answer = await sendPlan(plan, keyInput.value.trim(), controller.signal, token);
    const result = await localImage(answer.blob, `${plan.operation}-${++state.runs}.${extension(answer.contentType)}`);
    state.result = result;
    stage.showResult(input, result);
    history.add({ image: result, label: result.name });
    download.href = result.src;
    download.download = `retouch-${result.name}`;
    download.setAttribute('aria-disabled', 'false');
    useResult.disabled = false;
    if (answer.balanceUsd !== undefined) byId('balance').textContent = `$${moneyText(answer.balanceUsd)}`;
    byId('charged').textContent = answer.chargedUsd !== undefined ? `$${answer.chargedUsd}` : 'not reported';
    setState('done', 200);
    showMessage(
      'ok',
      `Done in ${(answer.elapsedMs / 1000).toFixed(1)} s: ${result.width}×${result.height} ${answer.contentType}`,
      answer.chargedUsd ? `, charged $${answer.chargedUsd}` : '',
      '.',
    );
  } catch (error) {
    byId('charged').textContent = controller.signal.aborted ? 'none (cancelled)' : 'none (failed)';
    if (controller.signal.aborted) {
      setState('cancelled');
      showMessage('info', 'Cancelled. The server drops the work and releases the reservation: nothing is charged.');
    } else if (error instanceof ApiFailure) {
      setState('error', error.status);
      showMessage(
        'error',
        h('code', {}, String(error.status)),
        ` ${forPage(error.message)}`,
        error.requestId ? ` (request ${error.requestId})` : '',
      );
    } else {
      setState('error');
      showMessage('error', `The request failed before an answer came: ${error instanceof Error ? error.message : String(error)}`);
    }
  } finally {
    clearInterval(ticker);
    // A failed request charged nothing (its reservation is released before the error is answered), and the
    // balance is worth showing all the same. Not after a cancel: the server releases that reservation only
    // once it notices, so a read now could show the price still held; the balance shown stays right.
    if (status.dataset.state === 'error') void refreshBalance();
    clearInterval(follower);
    progress.removeAttribute('value');
    state.running = undefined;
    runButton.disabled = !picker.value;
    cancelButton.disabled = true;
    progress.hidden = true;
  }
}

async function showProgress(token: string, key: string): Promise<void> {
  const seen = await fetchProgress(token, key).catch(() => null);
  if (!seen || seen.total === 0 || progress.hidden) return;
  progress.max = seen.total;
  progress.value = seen.done;
  progress.title = `${seen.done} of ${seen.total} tiles`;
}

function extension(contentType: string): string {
  return /jpeg/.test(contentType) ? 'jpg' : /webp/.test(contentType) ? 'webp' : 'png';
}

// --- wiring ---
keyInput.value = loadKey();
const account = new AccountView(() => keyInput.value.trim());
byId<HTMLFormElement>('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  saveKey(keyInput.value.trim());
  showMessage('info', keyInput.value.trim() ? 'Key saved in this browser.' : 'No key to save.');
  void account.refresh();
  void refreshBalance();
});
byId('key-forget').addEventListener('click', () => {
  forgetKey();
  keyInput.value = '';
  void account.refresh();
  byId('balance').textContent = 'unknown';
  byId('charged').textContent = 'none';
  showMessage('info', 'Key forgotten: removed from this browser.');
});
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="operation"]'))
  radio.addEventListener('change', onOperationChange);
picker.addEventListener('change', () => onModelChange());
runButton.addEventListener('click', () => void run());
cancelButton.addEventListener('click', () => state.running?.abort());
useResult.addEventListener('click', () => state.result && setInput(state.result));
copyCurl.addEventListener('click', async () => {
  if (!state.lastPlan) return;
  const text = curlCommand(state.lastPlan, keyInput.value.trim());
  curlBox.textContent = text;
  curlBox.hidden = false;
  try {
    await navigator.clipboard.writeText(text);
    copyCurl.textContent = 'Copied';
  } catch {
    copyCurl.textContent = 'Copy as curl (select the text below)';
  }
  setTimeout(() => (copyCurl.textContent = 'Copy as curl'), 2000);
});
watchImageSources({
  fileInput: byId<HTMLInputElement>('file-input'),
  dropZone: byId('stage'),
  urlForm: byId<HTMLFormElement>('url-form'),
  urlInput: byId<HTMLInputElement>('url-input'),
  onImage: (pending) =>
    pending.then(setInput, (error: unknown) => {
      setState('error');
      showMessage('error', error instanceof Error ? error.message : String(error));
    }),
});
setupMaskTools(painter);
setState('idle');
void loadModels();
void account.refresh();
if (keyInput.value.trim()) void refreshBalance();
