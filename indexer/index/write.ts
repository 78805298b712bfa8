// Writes a commit of an index folder atomically (see format.ts): the new segments' files and the generation's
// files, each fsynced, then the folders they are in; then the manifest by rename and an fsync of the index
// folder; then what no commit refers to any more is removed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, ORDER_FILE, SEGMENT_FILES, SOURCES_FILE, type FileRecord, type Manifest, type SegmentRecord } from './format.js';
import { encodeOrder, type CorpusOrder } from './order.js';

export type ManifestDraft = Omit<Manifest, 'generation' | 'files' | 'segments'>;

/** The places a commit passes, in order: a test stops the process at each to see what a crash leaves. */
export type CommitStep = 'segment-written' | 'generation-written' | 'manifest-written' | 'manifest-renamed' | 'stale-removed';

export type CommitHook = (step: CommitStep) => void | Promise<void>;

/**
 * A segment new in this commit: its record and either its files by name (SEGMENT_FILES), which the commit
 * writes, or the records of the files writeSegment already wrote (a build that flushes segments as it goes).
 */
export type NewSegment =
  | { readonly record: SegmentRecord; readonly files: ReadonlyMap<string, string | Uint8Array> }
  | { readonly record: SegmentRecord; readonly written: Readonly<Record<string, FileRecord>> };

export interface Commit {
  /** Every live segment, in the numbering `order` uses: kept ones (their files are in `previous`) and new ones. */
  readonly segments: readonly SegmentRecord[];
  readonly newSegments: readonly NewSegment[];
  readonly order: CorpusOrder;
  /** The source records (sources.ts), as text. */
  readonly sources: string;
  /** The manifest of the commit this one follows, whose file records kept segments reuse; null for none. */
  readonly previous: Manifest | null;
}

const uniqueSuffix = (): string => `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`;

/** A fresh segment folder name. */
export function newSegmentName(): string {
  return `seg-${uniqueSuffix()}`;
}

async function writeDurably(path: string, data: string | Uint8Array): Promise<FileRecord> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** fsync of a folder: its entries (the files just created or renamed in it) survive a power loss. */
async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `files` into the new folder `dir/folder`, durably; returns their records keyed `folder/name`. */
async function writeFolder(dir: string, folder: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<Record<string, FileRecord>> {
  await mkdir(join(dir, folder), { recursive: true });
  const records: Record<string, FileRecord> = {};
  for (const [name, content] of files) records[`${folder}/${name}`] = await writeDurably(join(dir, folder, name), content);
  await syncFolder(join(dir, folder));
  return records;
}

/**
 * Writes the files of a segment no commit names yet into `dir/name`, durably; returns their records for the
 * commit that will name it (NewSegment.written). Until then it is a leftover the next commit removes.
 */
export async function writeSegment(dir: string, name: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<Record<string, FileRecord>> {
  return writeFolder(dir, name, files);
}

/** Writes the commit and makes it current; returns the manifest written. */
export async function writeCommit(dir: string, commit: Commit, draft: ManifestDraft, hook: CommitHook = () => {}): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  const records: Record<string, FileRecord> = {};
  const written = new Set(commit.newSegments.map((segment) => segment.record.name));
  for (const segment of commit.segments) {
    if (written.has(segment.name)) continue;
    for (const name of SEGMENT_FILES) {
      const record = commit.previous?.files[`${segment.name}/${name}`];
      if (record === undefined) throw new Error(`sou: the segment ${segment.name} kept by this build has no file ${name} in the previous commit`);
      records[`${segment.name}/${name}`] = record;
    }
  }
  for (const segment of commit.newSegments) {
    if ('written' in segment) {
      Object.assign(records, segment.written);
      continue;
    }
    Object.assign(records, await writeFolder(dir, segment.record.name, segment.files));
    await hook('segment-written');
  }
  const generation = `gen-${uniqueSuffix()}`;
  Object.assign(records, await writeFolder(dir, generation, new Map<string, string | Uint8Array>([[ORDER_FILE, encodeOrder(commit.order)], [SOURCES_FILE, commit.sources]])));
  await syncFolder(dir);
  await hook('generation-written');
  const manifest: Manifest = { ...draft, generation, segments: commit.segments, files: records };
  const temporary = join(dir, `${MANIFEST_FILE}.${process.pid}.tmp`);
  await writeDurably(temporary, JSON.stringify(manifest, null, 2) + '\n');
  await hook('manifest-written');
  await rename(temporary, join(dir, MANIFEST_FILE));
  await syncFolder(dir);
  await hook('manifest-renamed');
  await removeStale(dir, manifest);
  await hook('stale-removed');
  return manifest;
}

/**
 * Writes `files` (the SEGMENT_FILES of one build of documents, buildIndexFiles's output) as the only segment of
 * a new commit of `dir`, holding every document in its order. Returns the manifest written.
 */
export async function writeIndex(dir: string, files: ReadonlyMap<string, string | Uint8Array>, draft: ManifestDraft, sources = '{}'): Promise<Manifest> {
  const record: SegmentRecord = { name: newSegmentName(), documents: draft.counts.documents, paragraphs: draft.counts.paragraphs, roots: draft.corpus.roots };
  const order = new Uint32Array(2 * draft.counts.documents);
  for (let d = 0; d < draft.counts.documents; d++) order[2 * d + 1] = d;
  return writeCommit(dir, { segments: [record], newSegments: [{ record, files }], order, sources, previous: null }, draft);
}

/** Generations and segments the manifest does not name, and leftovers of killed builds; a running server has its index in memory already. */
export async function removeStale(dir: string, manifest: Manifest): Promise<void> {
  const live = new Set([manifest.generation, ...manifest.segments.map((segment) => segment.name)]);
  for (const entry of await readdir(dir)) {
    const stale = ((entry.startsWith('gen-') || entry.startsWith('seg-')) && !live.has(entry)) || entry.endsWith('.tmp');
    if (stale) await rm(join(dir, entry), { recursive: true, force: true });
  }
}
