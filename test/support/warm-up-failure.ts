// An index whose warm-up fails: it loads (its checksums match), but its postings do not add up.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GRAMS_FILE, MANIFEST_FILE, type Manifest } from '../../indexer/index/format.js';

/**
 * Gives the last posting byte of the index's n-gram file in `dir` a continuation bit, and the manifest the file's
 * new checksum: the index loads, and the warm-up's walk over the last block of postings comes up short.
 * Returns the manifest before the change.
 */
export function breakWarmUp(dir: string): Manifest {
  const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const gramsName = `${manifest.segments[0]!.name}/${GRAMS_FILE}`;
  const grams = path.join(dir, gramsName);
  const bytes = readFileSync(grams);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! | 0x80;
  writeFileSync(grams, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const files = { ...manifest.files, [gramsName]: { ...manifest.files[gramsName]!, sha256 } };
  writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, files }));
  return manifest;
}
