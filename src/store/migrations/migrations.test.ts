import { describe, expect, it } from 'vitest';
import { postgresMigrations } from './postgres.js';
import { sqliteMigrations } from './sqlite.js';

describe('migrations', () => {
  it('are numbered 1, 2, 3 … with no gaps, append-only', () => {
    expect(sqliteMigrations.map((m) => m.version)).toEqual(sqliteMigrations.map((_, i) => i + 1));
  });

  it('have the same numbers and names in both SQL dialects', () => {
    expect(postgresMigrations.map((m) => [m.version, m.name])).toEqual(sqliteMigrations.map((m) => [m.version, m.name]));
  });

  it('create the same tables in both dialects', () => {
    const tables = (sql: string) => [...sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/gi)].map((m) => m[1]).sort();
    for (const [i, m] of sqliteMigrations.entries()) expect(tables(postgresMigrations[i]!.sql)).toEqual(tables(m.sql));
  });
});
