import type Database from 'better-sqlite3';

/**
 * Prepared statements of the SQLite store, compiled once per open database and reused. better-sqlite3
 * compiles the SQL text anew on every `prepare`, which cost as much as running the statements on the
 * accounting path (reserve + commit): see bench/replicas/NOTES.md#accounting-with-spend-limits-made-cheap.
 */
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function prepared(db: Database.Database, sql: string): Database.Statement {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
