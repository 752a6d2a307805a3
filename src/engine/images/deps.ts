import type { ContentStore } from '../../content/index.js';
import type { EventBus } from '../../events/index.js';
import type { Digest, Leases, Logger } from '../../kernel/index.js';
import type { Snapshotter } from '../../snapshot/index.js';
import type { Db } from '../../state/index.js';
import type { ImageStore } from './image-store.js';
import type { UnpackPool } from './unpack-pool.js';

/** What the image operations share; built once by the composition root. */
export interface ImageDeps {
  db: Db;
  content: ContentStore;
  snapshotter: Snapshotter;
  /** The worker threads layers are unpacked on. */
  unpacker: UnpackPool;
  store: ImageStore;
  leases: Leases;
  events: EventBus;
  logger: Logger;
  /** Containers made from an image: `rmi` and prune must not take an image in use. */
  containersUsing(imageId: Digest): { id: string; running: boolean }[];
}
