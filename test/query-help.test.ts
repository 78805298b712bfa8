// The lines the results page adds (views/query-help.ts): how pinyin was read, "did you mean", the corrected
// results' line, and the notice while the vocabulary is being built, all escaped.
import { describe, expect, it } from 'vitest';
import { correctedNotice, pinyinNotice, suggestionNotice } from '../views/query-help.js';
import { assertNoInjectedMarkup } from './support/pages-app.js';
import { searchResponse } from './support/responses.js';

const HOSTILE = '<b>"x"</b>&';
const response = searchResponse;

describe('pinyinNotice', () => {
  it('says in one line how each run was read, with the other readings and the letters as typed', () => {
    const line = pinyinNotice(
      response({ query: 'xian 系统', rewrite: { runs: [{ typed: 'xian', word: '西安', readAs: 'xi an', kind: 'pinyin', others: ['西岸'] }] } }),
    ).value;
    expect(line).toMatch(/^<p class="notice notice-pinyin">按拼音 <kbd>xian<\/kbd> 搜索：<strong>西安<\/strong>。也可以搜：<a href="\/search\?q=%E8%A5%BF%E5%B2%B8\+%E7%B3%BB%E7%BB%9F"/);
    expect(line).toContain('href="/search?q=%22xian%22+%E7%B3%BB%E7%BB%9F"'); // "xian" 系统: the letters as typed
    expect(pinyinNotice(response({})).value).toBe('');
  });

  it('says the letters were searched as typed while the vocabulary is being built', () => {
    expect(pinyinNotice(response({ vocabularyReady: false })).value).toContain('拼音词表还在准备');
    expect(pinyinNotice(response({ query: '支付宝', vocabularyReady: false })).value).toBe('');
  });

  it('escapes what was typed', () => {
    const line = pinyinNotice(response({ query: HOSTILE, rewrite: { runs: [{ typed: HOSTILE, word: HOSTILE, readAs: 'x', kind: 'mixed', others: [HOSTILE] }] } })).value;
    expect(line).not.toContain('<b>');
    expect(assertNoInjectedMarkup(line)).toEqual([]);
  });
});

describe('suggestionNotice and correctedNotice', () => {
  const suggestion = { q: '支付宝 系统', replaced: '支付包', word: '支付宝', kind: 'homophone', total: 40 } as const;

  it('links "did you mean" when the query found something', () => {
    const line = suggestionNotice(response({ query: '支付包 系统', total: 3, suggestion })).value;
    expect(line).toContain('你是不是要找：<a href="/search?q=%E6%94%AF%E4%BB%98%E5%AE%9D+%E7%B3%BB%E7%BB%9F"');
    expect(line).toContain('（40 个段落）');
    expect(suggestionNotice(response({ total: 0, suggestion })).value).toBe(''); // the corrected results say it instead
  });

  it('heads the corrected results, with a link to search the corrected term exactly (quoted)', () => {
    const line = correctedNotice(response({ query: '支付包 系统', total: 0, suggestion }), suggestion.q).value;
    expect(line).toContain('没有找到“<kbd>支付包 系统</kbd>”，下面是“<strong>支付宝 系统</strong>”的结果。');
    expect(line).toContain(`href="/search?q=${encodeURIComponent('"支付包"').replaceAll('%20', '+')}+%E7%B3%BB%E7%BB%9F"`);
    expect(assertNoInjectedMarkup(correctedNotice(response({ query: HOSTILE, total: 0 }), HOSTILE).value)).toEqual([]);
  });
});
