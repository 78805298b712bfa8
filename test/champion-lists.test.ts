// Champion lists of common characters: which queries are a character alone, and lists made once, on use or
// ahead. That a list gives its character's answers exactly is engine.test.ts's (every common character of its index).
import { describe, expect, it } from 'vitest';
import { createChampionLists, singleCharacter, type ChampionListSource } from '../server/search/champion-lists.js';
import { parseQuery } from '../server/search/query.js';

describe('singleCharacter', () => {
  it('is the character of a query of one character, quoted or with punctuation around it, folded', () => {
    expect(singleCharacter(parseQuery('月'))).toBe('月');
    expect(singleCharacter(parseQuery('「月」'))).toBe('月');
    expect(singleCharacter(parseQuery('"月"'))).toBe('月');
    expect(singleCharacter(parseQuery('  月。 '))).toBe('月');
    expect(singleCharacter(parseQuery('風'))).toBe('风');
    expect(singleCharacter(parseQuery('Ａ'))).toBe('a');
    expect(singleCharacter(parseQuery('𠀀'))).toBe('𠀀');
  });

  it('is null for anything whose matches or ranking read more than one character', () => {
    for (const query of ['明月', '月 山', '月 OR 山', '-月', '月 -山', '"明月"', '月。山', '', '。', 'ab', '12']) {
      expect(singleCharacter(parseQuery(query)), query).toBeNull();
    }
  });
});

describe('createChampionLists', () => {
  /** Characters and paragraph counts; a list is the character's code point, to tell them apart. */
  function source(counts: Record<string, number>): ChampionListSource<Uint32Array> & { computed: string[] } {
    const computed: string[] = [];
    return {
      computed,
      count: (character) => counts[character] ?? 0,
      charactersInAtLeast: (minimum) => Object.keys(counts).filter((character) => counts[character]! >= minimum),
      list(character) {
        computed.push(character);
        return Uint32Array.from([character.codePointAt(0)!]);
      },
    };
  }

  it('makes a list on first use, once, and none for a character in fewer than the minimum', () => {
    const counts = source({ 月: 5, 山: 3, 鷗: 1 });
    const lists = createChampionLists(counts, 3);
    expect(Array.from(lists.get('月')!)).toEqual(['月'.codePointAt(0)]);
    expect(lists.get('月')).toBe(lists.get('月'));
    expect(lists.get('鷗')).toBeUndefined();
    expect(lists.get('無')).toBeUndefined();
    expect(counts.computed).toEqual(['月']);
  });

  it('warm() makes the list of every character in at least the minimum, and later uses make nothing', async () => {
    const counts = source({ 月: 5, 山: 3, 鷗: 1 });
    const lists = createChampionLists(counts, 3);
    await lists.warm();
    expect(counts.computed.sort()).toEqual(['山', '月']);
    lists.get('山');
    lists.get('月');
    expect(counts.computed).toHaveLength(2);
  });
});
