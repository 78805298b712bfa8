// sources.json, what an incremental build compares the corpus with: for every corpus file of the last build
// its size, modification time and content hash, the documents it held (id, content hash, line) and what its
// reading reported; and for every live document, in corpus order, its id and content hash (parallel to
// order.bin), so that an unchanged document is found in the segment that holds it, and its counts.
import { createHash } from 'node:crypto';
import type { CorpusProblem, FileOutcome, SourceDocument } from '../corpus/index.js';

export const SOURCES_VERSION = 1;

/** A document as a file yielded it, before duplicates across files are dropped. */
export interface SourceDocumentRecord {
  readonly id: string;
  /** documentHash of its content. */
  readonly hash: string;
  /** Its line in a .jsonl file. */
  readonly line?: number;
}

export interface SourceFileRecord {
  /** The file's absolute path. */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** SHA-256 of its bytes, or null when it could not be read. */
  readonly sha256: string | null;
  readonly documents: readonly SourceDocumentRecord[];
  /** What reading it reported (bad lines, a skipped file), duplicates across files excepted. */
  readonly problems: readonly CorpusProblem[];
  readonly outcome: FileOutcome;
}

export interface Sources {
  readonly version: number;
  /** When the build that wrote these listed the corpus (ms since the epoch): a file modified since may have kept its size and time. */
  readonly listedAt: number;
  readonly files: readonly SourceFileRecord[];
  /** Each live document's id, hash, paragraph count and characters (code points), in corpus order (parallel to order.bin). */
  readonly live: readonly (readonly [id: string, hash: string, paragraphs: number, characters: number])[];
}

/**
 * A hash of everything the index stores about a document: its id, title, paragraphs, locations, format and the
 * folder its file is relative to. Equal hashes: the stored document would be the same.
 */
export function documentHash(document: SourceDocument, root: string | undefined): string {
  const content = JSON.stringify([document.id, document.title, document.paragraphs, document.locations ?? null, document.format ?? null, root ?? null]);
  return createHash('sha256').update(content).digest('base64url').slice(0, 24);
}

export function sourcesToJson(sources: Sources): string {
  return JSON.stringify(sources);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Reads sourcesToJson's text; null when it is not such a text (the build then reads every file again). */
export function sourcesFromJson(text: string): Sources | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value) || value.version !== SOURCES_VERSION || typeof value.listedAt !== 'number' || !Array.isArray(value.files) || !Array.isArray(value.live)) return null;
  const filesOk = value.files.every(
    (file: unknown) =>
      isObject(file) &&
      typeof file.path === 'string' &&
      typeof file.size === 'number' &&
      typeof file.mtimeMs === 'number' &&
      (file.sha256 === null || typeof file.sha256 === 'string') &&
      Array.isArray(file.documents) &&
      file.documents.every((d: unknown) => isObject(d) && typeof d.id === 'string' && typeof d.hash === 'string') &&
      Array.isArray(file.problems) &&
      isObject(file.outcome),
  );
  const liveOk = value.live.every((entry: unknown) => Array.isArray(entry) && entry.length === 4 && typeof entry[0] === 'string' && typeof entry[1] === 'string' && Number.isSafeInteger(entry[2]) && Number.isSafeInteger(entry[3]));
  return filesOk && liveOk ? (value as unknown as Sources) : null;
}
