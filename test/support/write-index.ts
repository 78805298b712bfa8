// Writing a test index in-process: documents → buildIndexFiles → writeIndex, with the manifest a build of an
// anonymous test corpus would record.
import { analyzerFingerprint } from '../../indexer/analyzer/index.js';
import type { SourceDocument } from '../../indexer/corpus/index.js';
import { buildIndexFiles, type BuildCounts } from '../../indexer/index/build.js';
import { INDEX_FORMAT, type Manifest } from '../../indexer/index/format.js';
import { writeIndex, type ManifestDraft } from '../../indexer/index/write.js';

export function testManifestDraft(counts: BuildCounts): ManifestDraft {
  return {
    format: INDEX_FORMAT,
    analyzer: analyzerFingerprint(null),
    userDict: null,
    builtAt: new Date().toISOString(),
    buildSeconds: 0,
    corpus: { inputs: ['(test)'], fingerprint: 'test', problems: 0, roots: [] },
    counts,
  };
}

/** Builds `documents` and writes them as the current index of `dir`. */
export async function writeDocumentsIndex(dir: string, documents: readonly SourceDocument[]): Promise<Manifest> {
  const built = await buildIndexFiles(documents, null);
  return writeIndex(dir, built.files, testManifestDraft(built.counts));
}
