// Two changes to nodejieba's binding. (1) Its load() builds jieba's dictionary twice: once for segmentation, and
// once more inside a TextRank keyword extractor that Sou never calls. Measured on this machine (2026-11-27, a
// lone process loading jieba): load 0.97 s → 0.46 s and RSS 276 → 161 MB once the extractor is built on first
// use instead. (2) load() holds the calling thread for that half second; loadAsync() builds the dictionary on
// libuv's thread pool, so a starting server decodes its index meanwhile. This module is the pure part: it
// rewrites nodejieba's binding sources; install.ts applies it and recompiles.

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
/** Marks the second change; sources patched by an earlier Sou carry only the first and get the second. */
export const ASYNC_LOAD_MARKER = 'sou: loadAsync builds the dictionary on the thread pool';

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

const LOAD_METHOD = '    InstanceMethod("load", &NodeJieba::load),\n';
const LOAD_METHODS = `${LOAD_METHOD}    InstanceMethod("loadAsync", &NodeJieba::loadAsync),\n`;

const INSERT_WORD = 'Napi::Value NodeJieba::insertWord(const Napi::CallbackInfo& info) {\n';
// The paths are copied before the work is queued; the worker thread touches only its own Jieba until OnOK,
// which runs on the JavaScript thread. cut() before the promise settles finds no handle (Sou never does it).
const ASYNC_LOAD = `// ${ASYNC_LOAD_MARKER}.
class JiebaLoadWorker : public Napi::AsyncWorker {
 public:
  JiebaLoadWorker(Napi::Env env, NodeJieba* addon, const std::string (&paths)[5])
      : Napi::AsyncWorker(env), _deferred(Napi::Promise::Deferred::New(env)), _addon(addon) {
    for (int i = 0; i < 5; i++) _paths[i] = paths[i];
  }
  Napi::Promise Promise() { return _deferred.Promise(); }

 protected:
  void Execute() override {
    _jieba = new cppjieba::Jieba(_paths[0], _paths[1], _paths[2], _paths[3], _paths[4]);
  }
  void OnOK() override {
    delete _addon->_jieba_handle;
    _addon->_jieba_handle = _jieba;
    delete _addon->_text_rank_extractor_handle;
    _addon->_text_rank_extractor_handle = nullptr;
    _addon->_text_rank_paths[0] = _paths[0];
    _addon->_text_rank_paths[1] = _paths[1];
    _addon->_text_rank_paths[2] = _paths[4];
    _addon->_text_rank_paths[3] = _paths[2];
    _deferred.Resolve(Napi::Boolean::New(Env(), true));
  }
  void OnError(const Napi::Error& error) override {
    delete _jieba;
    _deferred.Reject(error.Value());
  }

 private:
  Napi::Promise::Deferred _deferred;
  NodeJieba* _addon;
  std::string _paths[5];
  cppjieba::Jieba* _jieba{nullptr};
};

Napi::Value NodeJieba::loadAsync(const Napi::CallbackInfo& info) {
  if (info.Length() != 5) {
    Napi::TypeError::New(info.Env(), "loadAsync takes the five dictionary paths").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  std::string paths[5];
  for (int i = 0; i < 5; i++) paths[i] = info[i].As<Napi::String>();
  JiebaLoadWorker* worker = new JiebaLoadWorker(info.Env(), this, paths);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

`;

const LOAD_DECLARATION = '  Napi::Value load(const Napi::CallbackInfo& info);\n';
const LOAD_DECLARATIONS = `${LOAD_DECLARATION}  Napi::Value loadAsync(const Napi::CallbackInfo& info);\n  friend class JiebaLoadWorker; // ${ASYNC_LOAD_MARKER}\n`;

const HANDLE_MEMBER = '  cppjieba::TextRankExtractor* _text_rank_extractor_handle{nullptr};\n';
const PATHS_MEMBER = `${HANDLE_MEMBER}  std::string _text_rank_paths[4]; // ${PATCH_MARKER}\n`;
const HEADER_INCLUDE = '#include <napi.h>\n';

/**
 * Rewrites the binding so that TextRank's extractor is built by the first textRankExtract() call, and adds
 * loadAsync(), load() on the thread pool. Each change is applied when its marker is missing.
 */
export function patchBindingSources(sources: BindingSources): PatchResult {
  const lazy = applyChange(sources, PATCH_MARKER, (cpp, header) => ({
    cpp: replaceOnce(replaceOnce(cpp, EAGER_EXTRACTOR, REMEMBER_PATHS, 'nodejieba.cpp (load)'), EXTRACTOR_CHECK, LAZY_EXTRACTOR, 'nodejieba.cpp (textRankExtract)'),
    header: replaceOnce(replaceOnce(header, HANDLE_MEMBER, PATHS_MEMBER, 'nodejieba.h (members)'), HEADER_INCLUDE, `${HEADER_INCLUDE}#include <string>\n`, 'nodejieba.h (includes)'),
  }));
  const asyncLoad = applyChange(lazy, ASYNC_LOAD_MARKER, (cpp, header) => ({
    cpp: replaceOnce(replaceOnce(cpp, LOAD_METHOD, LOAD_METHODS, 'nodejieba.cpp (methods)'), INSERT_WORD, `${ASYNC_LOAD}${INSERT_WORD}`, 'nodejieba.cpp (insertWord)'),
    header: replaceOnce(header, LOAD_DECLARATION, LOAD_DECLARATIONS, 'nodejieba.h (load)'),
  }));
  return { cpp: asyncLoad.cpp, header: asyncLoad.header, changed: lazy.changed || asyncLoad.changed };
}

function applyChange(sources: BindingSources, marker: string, change: (cpp: string, header: string) => BindingSources): PatchResult {
  const cppDone = sources.cpp.includes(marker);
  const headerDone = sources.header.includes(marker);
  if (cppDone && headerDone) return { ...sources, changed: false };
  if (cppDone !== headerDone) throw unknownSources(`only one of nodejieba.cpp and nodejieba.h carries the change "${marker}"`);
  return { ...change(sources.cpp, sources.header), changed: true };
}

function replaceOnce(text: string, from: string, to: string, where: string): string {
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + 1) !== -1) throw unknownSources(`${where} does not contain the expected code exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function unknownSources(detail: string): Error {
  return new Error(`sou: nodejieba's binding sources are not the ones this install step knows (nodejieba 3.5.8): ${detail}`);
}
