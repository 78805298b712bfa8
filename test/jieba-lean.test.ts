// The install step that makes nodejieba build jieba's dictionary once: the source patch (pure) and the
// binding that `npm install` left in node_modules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isLeanBindingInstalled, leanBindingPaths } from '../indexer/analyzer/jieba-lean/install.js';
import { ASYNC_LOAD_MARKER, PATCH_MARKER, patchBindingSources } from '../indexer/analyzer/jieba-lean/patch.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/nodejieba-3.5.8/', import.meta.url));
const upstream = {
  cpp: readFileSync(`${FIXTURE}nodejieba.cpp`, 'utf8'),
  header: readFileSync(`${FIXTURE}nodejieba.h`, 'utf8'),
};

describe('patchBindingSources', () => {
  it('moves the TextRank extractor out of load() and into its first use', () => {
    const patched = patchBindingSources(upstream);
    expect(patched.changed).toBe(true);
    const load = patched.cpp.slice(patched.cpp.indexOf('NodeJieba::load('), patched.cpp.indexOf('NodeJieba::insertWord('));
    expect(load).not.toContain('new cppjieba\n\t\t      ::TextRankExtractor');
    expect(load).toContain('_text_rank_paths[3] = userDictPath;');
    const textRank = patched.cpp.slice(patched.cpp.indexOf('NodeJieba::textRankExtract('));
    expect(textRank).toContain('new cppjieba::TextRankExtractor(_text_rank_paths[0]');
    expect(textRank).toContain('return info.Env().Undefined();');
    expect(patched.header).toContain('std::string _text_rank_paths[4];');
    expect(patched.header).toContain('#include <string>');
  });

  it('adds loadAsync, which builds the dictionary on the thread pool, and keeps load()', () => {
    const patched = patchBindingSources(upstream);
    expect(patched.cpp).toContain('InstanceMethod("load", &NodeJieba::load),\n    InstanceMethod("loadAsync", &NodeJieba::loadAsync),');
    expect(patched.cpp).toContain('class JiebaLoadWorker : public Napi::AsyncWorker');
    expect(patched.cpp).toContain('Napi::Value NodeJieba::loadAsync(const Napi::CallbackInfo& info) {');
    expect(patched.cpp).toContain('Napi::Value NodeJieba::load(const Napi::CallbackInfo& info) {');
    expect(patched.header).toContain('  Napi::Value loadAsync(const Napi::CallbackInfo& info);\n  friend class JiebaLoadWorker;');
    // The rest is upstream's: besides the two changes' own lines, nothing differs.
    const added = patched.cpp.split('\n').filter((line) => !upstream.cpp.includes(line));
    const asyncBlock = patched.cpp.slice(patched.cpp.indexOf(`// ${ASYNC_LOAD_MARKER}.`), patched.cpp.indexOf('Napi::Value NodeJieba::insertWord('));
    expect(added.filter((line) => !asyncBlock.includes(line) && !line.includes('loadAsync')).length).toBeLessThan(20);
  });

  it('adds loadAsync to sources an earlier Sou patched with the first change only', () => {
    const patched = patchBindingSources(upstream);
    const strip = (text: string, from: string, to: string): string => text.slice(0, text.indexOf(from)) + text.slice(text.indexOf(to));
    const firstOnly = {
      cpp: strip(patched.cpp, `// ${ASYNC_LOAD_MARKER}.`, 'Napi::Value NodeJieba::insertWord(').replace('    InstanceMethod("loadAsync", &NodeJieba::loadAsync),\n', ''),
      header: patched.header.replace(`  Napi::Value loadAsync(const Napi::CallbackInfo& info);\n  friend class JiebaLoadWorker; // ${ASYNC_LOAD_MARKER}\n`, ''),
    };
    expect(firstOnly.cpp).toContain(PATCH_MARKER);
    expect(firstOnly.cpp).not.toContain(ASYNC_LOAD_MARKER);
    expect(firstOnly.header).not.toContain(ASYNC_LOAD_MARKER);
    const upgraded = patchBindingSources(firstOnly);
    expect(upgraded.changed).toBe(true);
    expect(upgraded.cpp).toBe(patched.cpp);
    expect(upgraded.header).toBe(patched.header);
  });

  it('leaves patched sources as they are', () => {
    const once = patchBindingSources(upstream);
    const twice = patchBindingSources(once);
    expect(twice.changed).toBe(false);
    expect(twice.cpp).toBe(once.cpp);
    expect(twice.header).toBe(once.header);
  });

  it('refuses sources it does not know, naming the place', () => {
    const other = { ...upstream, cpp: upstream.cpp.replace('stopWordsPath,\n                                  userDictPath);', 'userDictPath);') };
    expect(() => patchBindingSources(other)).toThrow(/^sou: nodejieba's binding sources .*nodejieba\.cpp \(load\)/);
    const noCheck = { ...upstream, cpp: upstream.cpp.replace('if( !_text_rank_extractor_handle ){', 'if (!_text_rank_extractor_handle) {') };
    expect(() => patchBindingSources(noCheck)).toThrow(/nodejieba\.cpp \(textRankExtract\)/);
  });

  it('refuses sources where only one file carries the change', () => {
    const half = { cpp: patchBindingSources(upstream).cpp, header: upstream.header };
    expect(() => patchBindingSources(half)).toThrow(/only one of nodejieba\.cpp and nodejieba\.h/);
    expect(half.cpp).toContain(PATCH_MARKER);
  });
});

describe('the installed binding', () => {
  it('was patched from these very sources and compiled by npm install', () => {
    const paths = leanBindingPaths();
    const patched = patchBindingSources(upstream);
    expect(readFileSync(paths.cpp, 'utf8')).toBe(patched.cpp);
    expect(readFileSync(paths.header, 'utf8')).toBe(patched.header);
    expect(isLeanBindingInstalled(paths)).toBe(true);
    const binding = createRequire(import.meta.url)(paths.binary) as { loadAsync?: unknown };
    expect(typeof binding.loadAsync).toBe('function');
  });
});
