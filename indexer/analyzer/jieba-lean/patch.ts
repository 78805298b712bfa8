// nodejieba's load() builds jieba's dictionary twice: once for segmentation, and once more inside a TextRank
// keyword extractor that Sou never calls. Measured on this machine (2026-11-27, a lone process loading jieba):
// load 0.97 s → 0.46 s and RSS 276 → 161 MB once the extractor is built on first use instead. This module is
// the pure part of that change: it rewrites nodejieba's binding sources; install.ts applies it and recompiles.

/** The two binding sources the change touches (nodejieba 3.5.x: lib/nodejieba.cpp and lib/nodejieba.h). */
export interface BindingSources {
  readonly cpp: string;
  readonly header: string;
}

export interface PatchResult extends BindingSources {
  /** False when the sources already carry the change (the install step is idempotent). */
  readonly changed: boolean;
}

/** Marks patched sources, so a second run recognises them. */
export const PATCH_MARKER = 'sou: TextRank extractor built on first use';

const EAGER_EXTRACTOR = `  delete _text_rank_extractor_handle;
  _text_rank_extractor_handle = new cppjieba
		      ::TextRankExtractor(dictPath,
                                  modelPath,
                                  stopWordsPath,
                                  userDictPath);
`;

const REMEMBER_PATHS = `  // ${PATCH_MARKER}: it would build the whole dictionary a second time.
  delete _text_rank_extractor_handle;
  _text_rank_extractor_handle = nullptr;
  _text_rank_paths[0] = dictPath;
  _text_rank_paths[1] = modelPath;
  _text_rank_paths[2] = stopWordsPath;
  _text_rank_paths[3] = userDictPath;
`;

// Upstream throws when load() has not run but then goes on to use the null handle; the patched check returns.
const EXTRACTOR_CHECK = `  if( !_text_rank_extractor_handle ){
    Napi::Error::New(info.Env(), "Before calling any other function you have to call load() first").ThrowAsJavaScriptException();
  }
`;

const LAZY_EXTRACTOR = `  if( !_jieba_handle ){
    Napi::Error::New(info.Env(), "Before calling any other function you have to call load() first").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  if( !_text_rank_extractor_handle ){
    _text_rank_extractor_handle = new cppjieba::TextRankExtractor(_text_rank_paths[0], _text_rank_paths[1],
                                                                  _text_rank_paths[2], _text_rank_paths[3]);
  }
`;

const HANDLE_MEMBER = '  cppjieba::TextRankExtractor* _text_rank_extractor_handle{nullptr};\n';
const PATHS_MEMBER = `${HANDLE_MEMBER}  std::string _text_rank_paths[4]; // ${PATCH_MARKER}\n`;
const HEADER_INCLUDE = '#include <napi.h>\n';

/** Rewrites the binding so that TextRank's extractor is built by the first textRankExtract() call. */
export function patchBindingSources(sources: BindingSources): PatchResult {
  const cppDone = sources.cpp.includes(PATCH_MARKER);
  const headerDone = sources.header.includes(PATCH_MARKER);
  if (cppDone && headerDone) return { ...sources, changed: false };
  if (cppDone !== headerDone) throw unknownSources('only one of nodejieba.cpp and nodejieba.h carries the change');
  const cpp = replaceOnce(replaceOnce(sources.cpp, EAGER_EXTRACTOR, REMEMBER_PATHS, 'nodejieba.cpp (load)'), EXTRACTOR_CHECK, LAZY_EXTRACTOR, 'nodejieba.cpp (textRankExtract)');
  const header = replaceOnce(replaceOnce(sources.header, HANDLE_MEMBER, PATHS_MEMBER, 'nodejieba.h (members)'), HEADER_INCLUDE, `${HEADER_INCLUDE}#include <string>\n`, 'nodejieba.h (includes)');
  return { cpp, header, changed: true };
}

function replaceOnce(text: string, from: string, to: string, where: string): string {
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + 1) !== -1) throw unknownSources(`${where} does not contain the expected code exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function unknownSources(detail: string): Error {
  return new Error(`sou: nodejieba's binding sources are not the ones this install step knows (nodejieba 3.5.8): ${detail}`);
}
