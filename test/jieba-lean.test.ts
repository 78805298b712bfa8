// The install step that makes nodejieba build jieba's dictionary once: the source patch (pure) and the
// binding that `npm install` left in node_modules.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isLeanBindingInstalled, leanBindingPaths } from '../indexer/analyzer/jieba-lean/install.js';
import { PATCH_MARKER, patchBindingSources } from '../indexer/analyzer/jieba-lean/patch.js';

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
    // Everything else is left alone: only the three rewritten places differ in length.
    expect(patched.cpp.split('\n').filter((line) => !upstream.cpp.includes(line)).length).toBeLessThan(20);
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
  });
});
