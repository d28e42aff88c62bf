import * as api from './account-api.js';
import { ApiFailure } from './api-client.js';
import { byId, h, replaceChildren } from './dom.js';
import { barChart, modelOf, totals } from './usage-chart.js';

/**
 * The account view, for ADMIN keys: the account's keys with their limits and last use, creating one
 * (its secret shown once, with a copy button) and revoking one, the balance, and the last 30 days of
 * usage as charts by day and by model with a CSV download. An INFERENCE key never sees it: the keys
 * route answers it with 401 "Admin API key required", and the view stays hidden.
 */
const USAGE_DAYS = 30;
const PERIODS: Record<string, string> = { EPOCH: 'day', MONTH: 'month', LIFETIME: 'lifetime' };

export class AccountView {
  private readonly panel = byId('account');
  private readonly status = byId('account-status');
  private readonly secretBox = byId('new-secret');

  constructor(private readonly currentKey: () => string) {
    byId<HTMLFormElement>('key-create').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.create();
    });
    byId('copy-secret').addEventListener('click', () => void this.copySecret());
    byId('usage-csv').addEventListener('click', () => void this.downloadCsv());
  }

  /** Shows the view when the key is an ADMIN key, with fresh data; hides it otherwise. */
  async refresh(): Promise<void> {
    const key = this.currentKey();
    if (!key) return this.hide();
    try {
      const [keys, usd, usage] = await Promise.all([api.listKeys(key), api.balance(key), api.usageSince(key, since())]);
      this.panel.hidden = false;
      byId('account-balance').textContent = `$${usd.toFixed(2)}`;
      this.renderKeys(keys);
      barChart(
        byId<SVGSVGElement & HTMLElement>('usage-by-day'),
        totals(usage, (r) => r.timestamp.slice(0, 10)),
        'Spend by day',
      );
      barChart(
        byId<SVGSVGElement & HTMLElement>('usage-by-model'),
        totals(usage, (r) => modelOf(r.sku)),
        'Spend by model',
      );
      this.panel.dataset.state = 'ready';
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) return this.hide();
      this.say(error);
    }
  }

  private hide(): void {
    this.panel.hidden = true;
    this.secretBox.hidden = true;
    delete this.panel.dataset.state;
  }

  private renderKeys(keys: api.KeyInfo[]): void {
    const rows = keys.map((k) => {
      const revoke = h('button', { type: 'button', class: 'secondary', 'data-revoke': k.id }, 'Revoke');
      revoke.addEventListener('click', () => void this.revoke(k));
      const limit = k.consumptionLimits.usd === null ? 'none' : `$${k.consumptionLimits.usd} per ${PERIODS[k.limitPeriod]}`;
      return h(
        'tr',
        { 'data-key-id': k.id },
        h('td', {}, k.description),
        h('td', {}, k.apiKeyType),
        h('td', {}, k.last6Chars ? `…${k.last6Chars}` : ''),
        h('td', {}, limit),
        h('td', {}, k.currentPeriodUsage ? `$${k.currentPeriodUsage.usd}` : ''),
        h('td', {}, k.lastUsedAt ? k.lastUsedAt.replace('T', ' ').slice(0, 16) : 'never'),
        h('td', {}, k.expiresAt ? k.expiresAt.slice(0, 10) : 'never'),
        h('td', {}, revoke),
      );
    });
    replaceChildren(byId('keys-body'), ...rows);
  }

  private async create(): Promise<void> {
    const description = byId<HTMLInputElement>('new-key-description').value.trim();
    const limit = byId<HTMLInputElement>('new-key-limit').value.trim();
    try {
      const created = await api.createKey(this.currentKey(), {
        apiKeyType: byId<HTMLSelectElement>('new-key-type').value as 'ADMIN' | 'INFERENCE',
        description,
        ...(limit
          ? { consumptionLimit: { usd: Number(limit) }, limitPeriod: byId<HTMLSelectElement>('new-key-period').value }
          : {}),
      });
      // The only time the secret is on the page; it is not stored anywhere.
      byId('new-secret-value').textContent = created.apiKey;
      byId('copy-secret').textContent = 'Copy';
      this.secretBox.hidden = false;
      byId<HTMLFormElement>('key-create').reset();
      await this.refresh();
    } catch (error) {
      this.say(error);
    }
  }

  private async copySecret(): Promise<void> {
    const secret = byId('new-secret-value').textContent ?? '';
    try {
      await navigator.clipboard.writeText(secret);
      byId('copy-secret').textContent = 'Copied';
    } catch {
      byId('copy-secret').textContent = 'Select the key and copy it';
    }
  }

  private async revoke(key: api.KeyInfo): Promise<void> {
    if (!window.confirm(`Revoke "${key.description}"? Requests with it fail at once.`)) return;
    try {
      await api.revokeKey(this.currentKey(), key.id);
      await this.refresh();
    } catch (error) {
      this.say(error);
    }
  }

  private async downloadCsv(): Promise<void> {
    try {
      const blob = await api.usageCsv(this.currentKey(), since());
      const link = h('a', {
        href: URL.createObjectURL(blob),
        download: `retouch-usage-${new Date().toISOString().slice(0, 10)}.csv`,
      });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      this.say(error);
    }
  }

  private say(error: unknown): void {
    const message = error instanceof ApiFailure ? `${error.status} ${error.message}` : String(error);
    replaceChildren(this.status, h('span', { class: 'error' }, message));
  }
}

function since(): Date {
  return new Date(Date.now() - USAGE_DAYS * 24 * 3_600_000);
}
