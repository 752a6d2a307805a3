import { BerthError, notFound } from '../kernel/index.js';
import {
  findContainersByPrefix,
  getContainer,
  getContainerByName,
  listContainers,
  putContainer,
  renameContainer,
  setContainerState,
  type ContainerRow,
  type Db,
} from '../state/index.js';
import type { Container, ContainerSpec, ContainerState } from './types.js';

function fromRow(r: ContainerRow): Container {
  return {
    id: r.id,
    name: r.name,
    created: r.created,
    spec: JSON.parse(r.spec) as ContainerSpec,
    state: JSON.parse(r.state) as ContainerState,
  };
}

/** Containers by ID, name or ID prefix, as Docker resolves them. */
export class ContainerStore {
  constructor(private readonly db: Db) {}

  find(ref: string): Container | undefined {
    const name = ref.replace(/^\//, '');
    const row =
      getContainer(this.db, ref) ??
      getContainerByName(this.db, name) ??
      (/^[a-f0-9]+$/.test(ref) ? this.byPrefix(ref) : undefined);
    return row && fromRow(row);
  }

  get(ref: string): Container {
    const c = this.find(ref);
    if (!c) throw notFound(`No such container: ${ref}`);
    return c;
  }

  private byPrefix(prefix: string): ContainerRow | undefined {
    const rows = findContainersByPrefix(this.db, prefix);
    if (rows.length > 1) throw new BerthError('invalid-argument', `multiple IDs found with provided prefix: ${prefix}`);
    return rows[0];
  }

  nameTaken(name: string): boolean {
    return getContainerByName(this.db, name) !== undefined;
  }

  list(): Container[] {
    return listContainers(this.db).map(fromRow);
  }

  insert(c: Container): void {
    putContainer(this.db, {
      id: c.id,
      name: c.name,
      imageId: c.spec.imageId,
      created: c.created,
      spec: JSON.stringify(c.spec),
      state: JSON.stringify(c.state),
    });
  }

  rename(c: Container, name: string): void {
    renameContainer(this.db, c.id, name);
    c.name = name;
  }

  saveState(c: Container): void {
    setContainerState(this.db, c.id, JSON.stringify(c.state));
  }
}
