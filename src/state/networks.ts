import type { Db } from './database.js';

/**
 * A network's row. `spec` is a JSON document owned by the network module
 * (driver, IPAM, options, labels); this module stores it and never looks inside.
 */
export interface NetworkRow {
  id: string;
  name: string;
  created: number;
  spec: string;
}

/**
 * One container's membership of one network. `config` is what was asked
 * (aliases, a fixed address); `runtime` is what the CNI chain returned while
 * the container runs, or null when it does not.
 */
export interface EndpointRow {
  containerId: string;
  networkId: string;
  config: string;
  runtime: string | null;
}

interface RawEndpoint {
  container_id: string;
  network_id: string;
  config: string;
  runtime: string | null;
}

function toEndpoint(r: RawEndpoint): EndpointRow {
  return { containerId: r.container_id, networkId: r.network_id, config: r.config, runtime: r.runtime };
}

export function putNetwork(db: Db, n: NetworkRow): void {
  db.prepare('INSERT INTO networks (id, name, created, spec) VALUES (?, ?, ?, ?)').run(n.id, n.name, n.created, n.spec);
}

export function listNetworks(db: Db): NetworkRow[] {
  return db.prepare('SELECT id, name, created, spec FROM networks ORDER BY created').all() as NetworkRow[];
}

/** Removes a network row; callers refuse while endpoints refer to it. */
export function deleteNetwork(db: Db, id: string): void {
  db.prepare('DELETE FROM networks WHERE id = ?').run(id);
}

export function putEndpoint(db: Db, e: EndpointRow): void {
  db.prepare('INSERT INTO endpoints (container_id, network_id, config, runtime) VALUES (?, ?, ?, ?)').run(
    e.containerId,
    e.networkId,
    e.config,
    e.runtime,
  );
}

export function setEndpointRuntime(db: Db, containerId: string, networkId: string, runtime: string | null): void {
  db.prepare('UPDATE endpoints SET runtime = ? WHERE container_id = ? AND network_id = ?').run(
    runtime,
    containerId,
    networkId,
  );
}

export function setEndpointConfig(db: Db, containerId: string, networkId: string, config: string): void {
  db.prepare('UPDATE endpoints SET config = ? WHERE container_id = ? AND network_id = ?').run(
    config,
    containerId,
    networkId,
  );
}

export function deleteEndpoint(db: Db, containerId: string, networkId: string): void {
  db.prepare('DELETE FROM endpoints WHERE container_id = ? AND network_id = ?').run(containerId, networkId);
}

export function deleteEndpointsOf(db: Db, containerId: string): void {
  db.prepare('DELETE FROM endpoints WHERE container_id = ?').run(containerId);
}

/** One container's endpoints, in the order they were made (the primary one first). */
export function listEndpointsOf(db: Db, containerId: string): EndpointRow[] {
  const rows = db.prepare('SELECT * FROM endpoints WHERE container_id = ? ORDER BY rowid').all(containerId);
  return (rows as RawEndpoint[]).map(toEndpoint);
}

/** Every endpoint, in the order they were made. */
export function listEndpoints(db: Db): EndpointRow[] {
  return (db.prepare('SELECT * FROM endpoints ORDER BY rowid').all() as RawEndpoint[]).map(toEndpoint);
}

/**
 * A network sandbox attached ahead of need, for the next container that
 * starts on the network (network/sandbox-pool.ts). `runtime` is an
 * endpoint's runtime JSON, kept so a crash leaves something to DEL.
 */
export interface PooledSandboxRow {
  sandboxId: string;
  networkId: string;
  runtime: string;
}

export function putPooledSandbox(db: Db, r: PooledSandboxRow): void {
  db.prepare('INSERT OR REPLACE INTO sandbox_pool (sandbox_id, network_id, runtime) VALUES (?, ?, ?)').run(
    r.sandboxId,
    r.networkId,
    r.runtime,
  );
}

export function deletePooledSandbox(db: Db, sandboxId: string): void {
  db.prepare('DELETE FROM sandbox_pool WHERE sandbox_id = ?').run(sandboxId);
}

export function listPooledSandboxes(db: Db): PooledSandboxRow[] {
  const rows = db.prepare('SELECT sandbox_id, network_id, runtime FROM sandbox_pool ORDER BY rowid').all() as {
    sandbox_id: string;
    network_id: string;
    runtime: string;
  }[];
  return rows.map((r) => ({ sandboxId: r.sandbox_id, networkId: r.network_id, runtime: r.runtime }));
}
