import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

/** An open berth.db. Every query goes through the repository functions of this module. */
export interface StateDatabase {
  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** The handle the repositories share; not exported from the module. */
export interface Db extends StateDatabase {
  readonly sql: Database.Database;
  /**
   * A prepared statement for `source`, compiled once per database: compiling
   * costs more than running most of berth's queries (a `ps` of 300
   * containers ran ~600 of them).
   */
  prepare(source: string): Database.Statement;
}

export function openStateDatabase(file: string): Db {
  const sql = new Database(file);
  // WAL: readers never block the writer; NORMAL is durable across process
  // crashes (not power loss), which is the failure the daemon must survive.
  sql.pragma('journal_mode = WAL');
  sql.pragma('synchronous = NORMAL');
  sql.pragma('foreign_keys = ON');
  migrate(sql);
  const statements = new Map<string, Database.Statement>();
  return {
    sql,
    prepare(source) {
      let statement = statements.get(source);
      if (statement === undefined) {
        statement = sql.prepare(source);
        statements.set(source, statement);
      }
      return statement;
    },
    transaction: <T>(fn: () => T): T => sql.transaction(fn)(),
    close: () => sql.close(),
  };
}

function migrate(sql: Database.Database): void {
  const current = sql.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    sql.transaction(() => {
      sql.exec(MIGRATIONS[v]!);
      sql.pragma(`user_version = ${v + 1}`);
    })();
  }
}
