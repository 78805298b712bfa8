// Peer 2: SQLite FTS5 with the trigram tokenizer (better-sqlite3 12; 13 needs Node 22), an on-disk database of
// the texts folded with foldString. The trigram tokenizer only matches parts of 3 or more characters, so, as
// FIELD-NOTES.md describes, a query part of 3+ characters is a MATCH phrase (ranked, ORDER BY rank), and a part of
// 1–2 characters is a `LIKE '%…%'` filter (a scan of the table, unranked).
import { existsSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { scanParts } from './scan.js';

const TABLE = 'poems';

export interface Fts5Plan {
  readonly sql: string;
  readonly params: readonly string[];
}

/** `"…"` with inner quotes doubled: one FTS5 phrase, which the trigram tokenizer matches as a substring. */
const phrase = (part: string): string => `"${part.replaceAll('"', '""')}"`;

/** The SQL for the folded parts of a query (null when there are none). */
export function fts5Plan(parts: readonly string[], limit = 10): Fts5Plan | null {
  if (parts.length === 0) return null;
  const long = parts.filter((part) => [...part].length >= 3);
  const short = parts.filter((part) => [...part].length < 3);
  const conditions: string[] = [];
  const params: string[] = [];
  if (long.length > 0) {
    conditions.push(`${TABLE} MATCH ?`);
    params.push(long.map(phrase).join(' AND '));
  }
  for (const part of short) {
    if (/[\\%_]/.test(part)) {
      conditions.push(`text LIKE ? ESCAPE '\\'`);
      params.push(`%${part.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    } else {
      conditions.push('text LIKE ?');
      params.push(`%${part}%`);
    }
  }
  const order = long.length > 0 ? ' ORDER BY rank' : '';
  return { sql: `SELECT rowid, text FROM ${TABLE} WHERE ${conditions.join(' AND ')}${order} LIMIT ${limit}`, params };
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);
}

export interface Fts5Build {
  readonly seconds: number;
  readonly bytes: number;
}

/** A fresh database at `path` with one row per folded text (rowid = position + 1), merged with 'optimize'. */
export function buildFts5(path: string, foldedTexts: readonly string[]): Fts5Build {
  removeDatabase(path);
  const started = performance.now();
  const db = new Database(path);
  try {
    db.exec(`CREATE VIRTUAL TABLE ${TABLE} USING fts5(text, tokenize='trigram')`);
    const insert = db.prepare(`INSERT INTO ${TABLE}(rowid, text) VALUES (?, ?)`);
    db.transaction(() => {
      foldedTexts.forEach((text, i) => insert.run(i + 1, text));
    })();
    db.exec(`INSERT INTO ${TABLE}(${TABLE}) VALUES ('optimize')`);
  } finally {
    db.close();
  }
  return { seconds: (performance.now() - started) / 1000, bytes: statSync(path).size };
}

export interface Fts5Searcher {
  /** Positions (0-based) of at most 10 matching texts. */
  search(query: string): number[];
  close(): void;
}

export function openFts5(path: string): Fts5Searcher {
  const db = new Database(path, { readonly: true });
  const statements = new Map<string, Database.Statement>();
  return {
    search(query) {
      const plan = fts5Plan(scanParts(query));
      if (plan === null) return [];
      let statement = statements.get(plan.sql);
      if (statement === undefined) statements.set(plan.sql, (statement = db.prepare(plan.sql)));
      return (statement.all(...plan.params) as { rowid: number; text: string }[]).map((row) => row.rowid - 1);
    },
    close: () => db.close(),
  };
}
