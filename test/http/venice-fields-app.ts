import { createTestApp, multipartBody, samplePng, type TestApp } from '../helpers/test-app.js';

/**
 * The app of the Venice-fields tests: models whose traits cover every case (tiers with prices, a
 * single-image model, a deprecated model with an alias), all on the gateway's scripted engine.
 */
export async function veniceFieldsApp() {
  const t = await createTestApp({
    creditsUsd: '100',
    config: {
      bodyLimitBytes: 64 * 1024 * 1024,
      models: {
        // Keeps the input's size unless a tier is asked for, like the local engines.
        'tiers-edit': {
          engine: 'scripted',
          displayName: 'Tiered Edit',
          priceUsd: 0.05,
          resolutions: ['1K', '2K', '4K'],
          defaultResolution: null,
          qualities: ['low', 'medium', 'high'],
          pricing: {
            resolutions: { '2K': 0.07, '4K': 0.11 },
            quality: { '1K': { low: 0.02, high: 0.3 } },
            inputImages: { included: 1, additionalUsd: 0.0045 },
          },
        },
        'single-edit': { engine: 'scripted', priceUsd: 0.01, combineImages: false },
        'old-edit': {
          engine: 'scripted',
          priceUsd: 0.01,
          aliases: ['old-edit-v1'],
          deprecation: { date: '2027-01-31', replacement: 'tiers-edit' },
        },
      },
    },
  });
  const png = await samplePng();
  const large = await samplePng(2600, 1950);
  const post = (url: string, body: unknown) => t.app.inject({ method: 'POST', url, payload: body as any, headers: t.auth });
  const postForm = (url: string, parts: Parameters<typeof multipartBody>[0]) => {
    const form = multipartBody(parts);
    return t.app.inject({ method: 'POST', url, payload: form.payload, headers: { ...form.headers, ...t.auth } });
  };
  const balance = async () => (await t.store.getBalance(t.accountId)).balanceMicros;
  return { t, png, large, post, postForm, balance, b64: (bytes: Buffer) => bytes.toString('base64') };
}

export type VeniceFieldsApp = Awaited<ReturnType<typeof veniceFieldsApp>> & { t: TestApp };
