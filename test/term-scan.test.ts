import { describe, expect, it } from 'vitest';
import { createReusedArrays } from '../server/search/reused-arrays.js';
import { createCodeUnitTables, scanText, SENTENCE_END_CHARACTERS, withTermScanner } from '../server/search/term-scan.js';

/** One set of tables and arrays for every scan, as a searcher has: each scan must leave the tables as it found them, and a scan's automaton must not depend on the scans before it. */
const tables = createCodeUnitTables();
const arrays = createReusedArrays();

/** What the exact pass did before term-scan.ts: a loop of indexOf per term. */
function indexOfCount(text: string, term: string): number {
  let count = 0;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + term.length)) count++;
  return count;
}

/** …and a split into sentences, the eligible terms' weights summed in term order per sentence. */
function splitMass(text: string, terms: readonly string[], weights: readonly number[], eligible: readonly number[]): number {
  let best = 0;
  for (const sentence of text.split(/[。！？；!?;\n]+/)) {
    let mass = 0;
    for (let k = 0; k < terms.length; k++) if (eligible[k] === 1 && sentence.includes(terms[k]!)) mass += weights[k]!;
    if (mass > best) best = mass;
  }
  return best;
}

function scan(terms: readonly string[], text: string, weights: readonly number[], eligible: readonly number[]): { counts: number[]; mass: number } {
  const counts = new Uint32Array(terms.length);
  const mass = withTermScanner(tables, arrays, terms, (scanner) => scanText(scanner, text, counts, Float64Array.from(weights), Uint8Array.from(eligible)));
  return { counts: [...counts], mass };
}

/** A small deterministic generator (mulberry32), so a failing case can be run again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('scanText', () => {
  it('counts non-overlapping occurrences as the indexOf loop does, repeats and terms inside terms included', () => {
    const terms = ['哈哈', '哈', '支付', '支付宝', '付宝', '宝', '支付'];
    const text = '哈哈哈哈哈，支付宝支付宝宝。支付';
    expect(scan(terms, text, terms.map(() => 1), terms.map(() => 0)).counts).toEqual(terms.map((term) => indexOfCount(text, term)));
    expect(indexOfCount(text, '哈哈')).toBe(2); // not 4: the loop skips overlaps
  });

  it('gives the best sentence’s mass of the eligible terms, in term order, as splitting the text did', () => {
    const terms = ['支付', '宝', '淘宝', '天猫'];
    const weights = [0.1, 0.2, 0.3, 0.7];
    const text = '支付宝和淘宝。天猫！！支付；天猫与宝';
    expect(scan(terms, text, weights, [1, 1, 1, 1]).mass).toBe(splitMass(text, terms, weights, [1, 1, 1, 1]));
    expect(scan(terms, text, weights, [1, 1, 1, 1]).mass).toBeCloseTo(0.9); // 天猫与宝
    expect(scan(terms, text, weights, [1, 1, 1, 0]).mass).toBeCloseTo(0.6); // 支付宝和淘宝
    expect(scan(terms, text, weights, [0, 0, 0, 0]).mass).toBe(0);
  });

  it('puts a term with a sentence end in it in no sentence, yet counts it', () => {
    const terms = ['宝。天', '宝', '天'];
    const text = '支付宝。天猫';
    const { counts, mass } = scan(terms, text, [5, 1, 1], [1, 1, 1]);
    expect(counts).toEqual([1, 1, 1]);
    expect(mass).toBe(splitMass(text, terms, [5, 1, 1], [1, 1, 1]));
    expect(mass).toBe(1);
  });

  it('matches code units, surrogate pairs included, as indexOf does', () => {
    const terms = ['𠀀', '𠀀𠀁', '\ud840', 'a𠀀'];
    const text = 'a𠀀𠀁𠀀b𠀁';
    expect(scan(terms, text, [1, 1, 1, 1], [0, 0, 0, 0]).counts).toEqual(terms.map((term) => indexOfCount(text, term)));
  });

  it('agrees with indexOf and split on random texts and terms', () => {
    const next = random(7);
    const alphabet = ['支', '付', '宝', '的', 'a', 'A', '𠀀', ...SENTENCE_END_CHARACTERS];
    const pick = (length: number): string => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let round = 0; round < 400; round++) {
      const terms = Array.from({ length: 1 + Math.floor(next() * 40) }, () => pick(1 + Math.floor(next() * 3)));
      const weights = terms.map(() => next());
      const eligible = terms.map(() => (next() < 0.8 ? 1 : 0));
      const text = pick(Math.floor(next() * 60));
      const { counts, mass } = scan(terms, text, weights, eligible);
      expect(counts, `${JSON.stringify(terms)} in ${JSON.stringify(text)}`).toEqual(terms.map((term) => indexOfCount(text, term)));
      expect(mass, `${JSON.stringify(terms)} in ${JSON.stringify(text)}`).toBe(splitMass(text, terms, weights, eligible));
    }
  });

  it('forgets the letters of the scanner before: a term of the first query is in no term of the next', () => {
    expect(scan(['支付宝'], '支付宝', [1], [1]).counts).toEqual([1]);
    expect(scan(['的'], '支付宝的', [1], [1])).toEqual({ counts: [1], mass: 1 });
    // A longer query after a short one: a larger automaton.
    const many = Array.from({ length: 70 }, (_, k) => String.fromCharCode(0x4e00 + k) + String.fromCharCode(0x4e01 + k));
    const text = many.join('');
    expect(scan(many, text, many.map(() => 1), many.map(() => 1)).counts).toEqual(many.map((term) => indexOfCount(text, term)));
  });

  it('refuses an empty term, and leaves the tables as it found them after a scan and after a throw', () => {
    const fresh = createCodeUnitTables();
    expect(() => withTermScanner(tables, arrays, ['支', ''], () => 0)).toThrow(/term-scan: a term is empty/);
    expect(() => withTermScanner(tables, arrays, ['付'], () => { throw new Error('in use'); })).toThrow('in use');
    scan(['支付宝', '。宝'], '支付宝。宝', [1, 1], [1, 1]);
    expect(tables.letters).toEqual(fresh.letters);
    expect(tables.marked).toEqual(fresh.marked);
    expect(scan(['付'], '支付', [1], [1]).counts).toEqual([1]);
  });
});
