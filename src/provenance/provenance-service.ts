import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/schema.js';
import { ContentCredentials, ingredientMime, type SignedFormat } from './content-credentials.js';
import { ensureDefaultCredentials, loadCredentials } from './credentials.js';
import type { ManifestInput } from './manifest.js';
import { engineActions, type ModelFacts, overallSourceType, type ProvenanceAction } from './source-types.js';
import { xmpPacket } from './xmp.js';

/**
 * Provenance for the request path: one per server. `forJob` gives the finishing step what it attaches
 * to one answer: the XMP packet (always) and the C2PA signature (unless `provenance.sign` is off).
 */
/**
 * The facts of a model entry provenance reads (a ModelEntry fits): declared here so that provenance,
 * which the engines' own action vocabulary (source-types.ts) sits in, does not import the engines back.
 */
export interface ProvenanceModel {
  id: string;
  type: string;
  engine: { kind: string };
  kindTraits: { newContent: boolean };
}

export interface Provenance {
  readonly signing: boolean;
  /** Loads or makes the credentials; `serve` awaits it before listening, so a bad certificate stops the start. */
  ready(): Promise<void>;
  /** Compiles the C2PA library and signs once (about 0.5 s), so the first answer does not pay for it. */
  warmUp(): Promise<void>;
  forJob(job: {
    model: ProvenanceModel;
    operation: string;
    inputs: ReadonlyArray<{ bytes: Buffer; format: string }>;
  }): JobProvenance;
}

/** What the finishing step asks of provenance for one answer. */
export interface JobProvenance {
  /** The engine's actions: as the engine described them (EngineNotes.actions), else as its kind implies. */
  engineActions(described?: ProvenanceAction[]): ProvenanceAction[];
  xmp(actions: readonly ProvenanceAction[]): string;
  /** Embeds the signed manifest; returns the bytes unchanged when signing is off. */
  stamp(body: Buffer, format: SignedFormat, actions: ProvenanceAction[]): Promise<Buffer>;
  /** The response header's value: what the answer carries. */
  readonly attached: string;
}

export function createProvenance(config: Config, logger: FastifyBaseLogger, version: string): Provenance {
  const settings = config.provenance;
  let loading: Promise<ContentCredentials> | undefined;
  const credentials = () => {
    loading ??= (async () => {
      const loaded =
        settings.certificate && settings.privateKey
          ? await loadCredentials({ certificate: settings.certificate, privateKey: settings.privateKey })
          : await ensureDefaultCredentials(config.dataDir, settings.organization);
      logger.info(
        {
          subject: loaded.subject,
          algorithm: loaded.algorithm,
          notAfter: loaded.notAfter.toISOString(),
          generated: loaded.generated,
        },
        'content credentials: signing answers',
      );
      return new ContentCredentials(loaded, version);
    })();
    return loading;
  };
  return {
    signing: settings.sign,
    async ready() {
      if (settings.sign) await credentials();
    },
    async warmUp() {
      if (settings.sign) await (await credentials()).warmUp();
    },
    forJob({ model, operation, inputs }) {
      const facts = modelFacts(model);
      const manifestInputs: ManifestInput[] = inputs.flatMap(({ bytes, format }) => {
        const mime = ingredientMime(format);
        return mime ? [{ bytes, mime }] : [];
      });
      return {
        attached: settings.sign ? 'c2pa, xmp' : 'xmp',
        engineActions: (described) => (described && described.length > 0 ? described : engineActions(operation, facts)),
        xmp: (actions) => xmpPacket(overallSourceType(actions), `retouch ${version} (${model.id})`),
        async stamp(body, format, actions) {
          if (!settings.sign) return body;
          return (await credentials()).sign(body, format, { model: facts, actions, inputs: manifestInputs });
        },
      };
    },
  };
}

/**
 * What provenance needs to know of a model, from what its engine kind declares: whether the output may
 * hold content the inputs did not (a generative model behind it). An upscale model is a super-resolution
 * network, which draws detail even when its kind does not count that as new content (docs/provenance.md).
 */
function modelFacts(model: ProvenanceModel): ModelFacts {
  const upscaler = model.type === 'upscale';
  return {
    id: model.id,
    engine: model.engine.kind,
    generative: !upscaler && model.kindTraits.newContent,
    upscaler,
  };
}
