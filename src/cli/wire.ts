/**
 * Wire shapes the generated Engine API 1.55 types (src/spec) do not cover:
 * daemons speaking API < 1.52 answer /system/df with the items themselves
 * (LayersSize, Images, ...) instead of per-type totals, and the CLI accepts
 * both, as the docker client does.
 */
import type { Api } from '../spec/index.js';

interface LegacyDataUsageWire {
  LayersSize?: number;
  Images?: Api.ImageSummary[] | null;
  Containers?: Api.ContainerSummary[] | null;
  Volumes?: Api.Volume[] | null;
  BuildCache?: Api.BuildCache[] | null;
}

/** What `GET /system/df` may answer. */
export type SystemDataUsageWire = Api.SystemDataUsageResponse & LegacyDataUsageWire;
