// locationLabel: a paragraph's location as the one short line the result card and the document page show.
import { describe, expect, it } from 'vitest';
import { locationLabel } from '../views/location.js';

describe('locationLabel', () => {
  it('names a PDF page, an EPUB chapter, a heading path', () => {
    expect(locationLabel({ page: 3 })).toBe('第 3 页');
    expect(locationLabel({ chapter: '第一回' })).toBe('第一回');
    expect(locationLabel({ headings: ['第一章 長江', '沿岸城市'] })).toBe('第一章 長江 › 沿岸城市');
  });

  it('says an EPUB chapter once when its first heading repeats it, and keeps the headings under it', () => {
    expect(locationLabel({ chapter: '第一章', headings: ['第一章'] })).toBe('第一章');
    expect(locationLabel({ chapter: '第一章', headings: ['第一章', '沿岸城市'] })).toBe('第一章 · 沿岸城市');
    expect(locationLabel({ chapter: '目錄', headings: ['第一章'] })).toBe('目錄 · 第一章');
  });

  it('keeps a deep heading path short: the innermost three after an ellipsis', () => {
    expect(locationLabel({ headings: ['一', '二', '三', '四', '五'] })).toBe('… › 三 › 四 › 五');
  });

  it('marks notes, and is null when there is nothing to name', () => {
    expect(locationLabel({ headings: ['第一章'], note: 'footnote' })).toBe('第一章 · 脚注');
    expect(locationLabel({ note: 'endnote' })).toBe('尾注');
    expect(locationLabel({})).toBeNull();
    expect(locationLabel(null)).toBeNull();
    expect(locationLabel(undefined)).toBeNull();
  });

  it('leaves escaping to the views: the text comes back as given', () => {
    expect(locationLabel({ chapter: '<b>&"' })).toBe('<b>&"');
  });
});
