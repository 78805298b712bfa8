import { createHash } from 'node:crypto';
import type { CorpusFile } from '../corpus/index.js';

/** Hash of the corpus files' identities and versions; a changed, added or removed file changes it. */
export function corpusFingerprint(files: readonly CorpusFile[], userDict: string | null): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.absolutePath}\0${file.size}\0${file.mtimeMs}\n`);
  hash.update(`dict\0${userDict ?? ''}`);
  return hash.digest('hex');
}
