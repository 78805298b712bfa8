// Writes an index folder atomically (see format.ts): data files into a fresh generation folder, then the
// manifest by rename, then old generations are removed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, type FileRecord, type Manifest } from './format.js';

export type ManifestDraft = Omit<Manifest, 'generation' | 'files'>;

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

/**
 * Writes `files` (relative path → content) as a new generation of the index in `dir` and makes it current.
 * Returns the manifest written.
 */
export async function writeIndex(dir: string, files: ReadonlyMap<string, string | Uint8Array>, draft: ManifestDraft): Promise<Manifest> {
  await mkdir(dir, { recursive: true });
  const generation = `gen-${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const records: Record<string, FileRecord> = {};
  for (const [name, content] of files) {
    const path = join(dir, generation, name);
    await mkdir(join(path, '..'), { recursive: true });
    records[name] = await writeDurably(path, content);
  }
  const manifest: Manifest = { ...draft, generation, files: records };
  const temporary = join(dir, `${MANIFEST_FILE}.${process.pid}.tmp`);
  await writeDurably(temporary, JSON.stringify(manifest, null, 2) + '\n');
  await rename(temporary, join(dir, MANIFEST_FILE));
  await removeStale(dir, generation);
  return manifest;
}

/** Old generations and leftovers of killed builds; a running server has its index in memory already. */
async function removeStale(dir: string, keep: string): Promise<void> {
  for (const entry of await readdir(dir)) {
    const stale = (entry.startsWith('gen-') && entry !== keep) || entry.endsWith('.tmp');
    if (stale) await rm(join(dir, entry), { recursive: true, force: true });
  }
}
