// Common characters' heads: which queries are a character alone, and heads computed once, on use or ahead.
import { describe, expect, it } from 'vitest';
import { createCharacterHeads, singleCharacter, type CharacterHeadSource } from '../server/search/character-heads.js';
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

describe('createCharacterHeads', () => {
  /** Characters and paragraph counts; a head is the character's code point, to tell them apart. */
  function source(counts: Record<string, number>): CharacterHeadSource<Uint32Array> & { computed: string[] } {
    const computed: string[] = [];
    return {
      computed,
      count: (character) => counts[character] ?? 0,
      charactersInAtLeast: (minimum) => Object.keys(counts).filter((character) => counts[character]! >= minimum),
      head(character) {
        computed.push(character);
        return Uint32Array.from([character.codePointAt(0)!]);
      },
    };
  }

  it('computes a head on first use, once, and none for a character in fewer than the minimum', () => {
    const counts = source({ 月: 5, 山: 3, 鷗: 1 });
    const heads = createCharacterHeads(counts, 3);
    expect(Array.from(heads.get('月')!)).toEqual(['月'.codePointAt(0)]);
    expect(heads.get('月')).toBe(heads.get('月'));
    expect(heads.get('鷗')).toBeUndefined();
    expect(heads.get('無')).toBeUndefined();
    expect(counts.computed).toEqual(['月']);
  });

  it('warm() computes the head of every character in at least the minimum, and later uses compute nothing', async () => {
    const counts = source({ 月: 5, 山: 3, 鷗: 1 });
    const heads = createCharacterHeads(counts, 3);
    await heads.warm();
    expect(counts.computed.sort()).toEqual(['山', '月']);
    heads.get('山');
    heads.get('月');
    expect(counts.computed).toHaveLength(2);
  });
});
