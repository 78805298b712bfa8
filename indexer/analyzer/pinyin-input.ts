// Reading what a user typed as pinyin. A Latin run (with or without spaces, tone marks or numbers,
// apostrophes, ü as v or u:) becomes its letters and the boundaries the user marked; the letters are split
// into every sequence of units that reads as pinyin: full syllables (xian | xi an), initials (zfb), a mix
// (zhifb), and, for typing-as-you-go, a last unit that is only the start of a syllable (zhifub). A mixed run
// (zhi付宝, 支fb) is split into its hanzi and Latin parts first; a hanzi part stands for itself.
// Pure string work: no dictionary, no pinyin library (the syllable table is the standard Mandarin one).

/** Toneless Mandarin syllables, ü written v. Interjections without a vowel (m, n, ng, hm, hng) are left out:
 *  as syllables they would split every n and ng of a typed run. */
const SYLLABLE_LIST =
  'a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ' +
  'ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci ' +
  'cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du ' +
  'duan dui dun duo e ei en eng er fa fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong ' +
  'gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang ' +
  'hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng ' +
  'kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ' +
  'ling liu lo long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming ' +
  'miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo ' +
  'nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie ' +
  'qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san ' +
  'sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui ' +
  'shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu ' +
  'tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan ' +
  'xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha ' +
  'zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong ' +
  'zou zu zuan zui zun zuo';

export const SYLLABLES: ReadonlySet<string> = new Set(SYLLABLE_LIST.split(' '));

/** Every proper or full prefix of a syllable (z, zh, zhu, zhua, …): what a last unit typed so far can be. */
const SYLLABLE_PREFIXES: ReadonlySet<string> = new Set(
  [...SYLLABLES].flatMap((syllable) => Array.from({ length: syllable.length }, (_, i) => syllable.slice(0, i + 1))),
);

/** What a syllable can be abbreviated to: its first letter, or zh/ch/sh. i, u and v start no syllable. */
const INITIALS: ReadonlySet<string> = new Set([...'bpmfdtnlgkhjqxrzcsywaoe', 'zh', 'ch', 'sh']);

/** Spellings keyboards use for lüe/nüe (no syllable lue or nue exists, so the reading is unambiguous). */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['lue', 'lve'],
  ['nue', 'nve'],
]);

const LONGEST_SYLLABLE = 6;
/** Runs longer than this are not read as pinyin (a pasted sentence or a hash, not a word typed by sound). */
export const MAX_PINYIN_LETTERS = 48;

export type PatternUnit =
  /** A full toneless syllable: the word's syllable must be it. */
  | { readonly kind: 'syllable'; readonly text: string }
  /** A syllable's first letter(s) (z, zh): the word's syllable must start with it. */
  | { readonly kind: 'initial'; readonly text: string }
  /** The last unit typed so far: the word's syllable must start with it. */
  | { readonly kind: 'prefix'; readonly text: string }
  /** A character typed as itself: the word's character must be it. */
  | { readonly kind: 'hanzi'; readonly text: string };

/** One way of reading a query run: a unit per character of the word it reads as. */
export interface ReadingPattern {
  readonly units: readonly PatternUnit[];
  /** The units that are abbreviations (initials or a prefix): fewer means a more literal reading. */
  readonly abbreviated: number;
}

/** A Latin run's letters (lower case, toneless, ü as v) and where the user marked syllable boundaries. */
export interface LatinLetters {
  readonly letters: string;
  /** Offsets into `letters` where a space, apostrophe or tone number separated syllables. */
  readonly breaks: readonly number[];
}

/**
 * The letters of a typed Latin run, or null when it cannot be pinyin (a digit that is not a tone number,
 * any other character). zhīfùbǎo, zhi1fu4bao3, "zhi fu bao" and ZhiFuBao all give zhifubao.
 */
export function latinLetters(run: string): LatinLetters | null {
  const text = run
    .normalize('NFD')
    .toLowerCase()
    .replace(/u\u0308|u:/g, 'v')
    .replace(/[\u0300-\u036f]/g, '');
  let letters = '';
  const breaks: number[] = [];
  const markBreak = (): void => {
    if (letters.length > 0 && breaks.at(-1) !== letters.length) breaks.push(letters.length);
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch >= 'a' && ch <= 'z') letters += ch;
    else if (ch >= '1' && ch <= '5' && i > 0 && /[a-z]/.test(text[i - 1]!)) markBreak();
    else if (ch === "'" || ch === '\u2019' || ch === ' ' || ch === '-') markBreak();
    else return null;
  }
  if (letters === '' || letters.length > MAX_PINYIN_LETTERS) return null;
  if (breaks.at(-1) === letters.length) breaks.pop();
  return { letters, breaks };
}

export interface SplitOptions {
  /** Typing as you go: the last unit may be the start of a syllable. */
  readonly prefix?: boolean;
  /** At most this many splits (the most literal ones are kept). */
  readonly limit?: number;
  /** Whole syllables only, no initials (letters read as several words: most letters split some way with initials). */
  readonly syllablesOnly?: boolean;
}

type UnitChoice = 'syllable' | 'initial';

/**
 * Every split of the letters into pinyin units that respects the marked breaks, the most literal first: full
 * syllables only, then mixes of syllables and initials, then initials only. Empty when the letters do not read
 * as pinyin at all.
 */
export function pinyinSplits(input: LatinLetters, options: SplitOptions = {}): ReadingPattern[] {
  const limit = options.limit ?? 64;
  const prefix = options.prefix ?? false;
  const { letters } = input;
  const breaks = new Set(input.breaks);
  const found = new Map<string, ReadingPattern>();

  // Budget per pass, so one kind of reading cannot crowd out the others on a long run.
  const walk = (allowed: readonly UnitChoice[], budget: number): void => {
    let added = 0;
    const units: PatternUnit[] = [];
    // Where the rest of the letters can still be split: the walk leaves the others at once (a run of letters
    // that is not pinyin, hewawojfq, would otherwise try every split of its start again for each ending).
    const completes = new Array<boolean>(letters.length + 1).fill(false);
    completes[letters.length] = true;
    for (let at = letters.length - 1; at >= 0; at--) {
      for (let end = Math.min(letters.length, at + LONGEST_SYLLABLE); end > at && !completes[at]; end--) {
        if (!completes[end] || !crossesNoBreak(at, end, breaks)) continue;
        const piece = letters.slice(at, end);
        completes[at] = allowed.some((choice) => unitFor(piece, choice, end === letters.length && prefix) !== null);
      }
    }
    const step = (at: number): void => {
      if (added >= budget || found.size >= limit) return;
      if (at === letters.length) {
        if (units.length === 0) return;
        const pattern: ReadingPattern = { units: [...units], abbreviated: units.filter((unit) => unit.kind !== 'syllable').length };
        const key = patternKey(pattern);
        if (!found.has(key)) {
          found.set(key, pattern);
          added++;
        }
        return;
      }
      // Longest first, so the most natural split is found before the budget runs out.
      for (let end = Math.min(letters.length, at + LONGEST_SYLLABLE); end > at; end--) {
        if (!completes[end] || !crossesNoBreak(at, end, breaks)) continue;
        const piece = letters.slice(at, end);
        const last = end === letters.length;
        for (const choice of allowed) {
          const unit = unitFor(piece, choice, last && prefix);
          if (unit === null) continue;
          units.push(unit);
          step(end);
          units.pop();
        }
      }
    };
    step(0);
  };
  walk(['syllable'], Math.ceil(limit / 2));
  if (options.syllablesOnly !== true) {
    walk(['syllable', 'initial'], limit);
    walk(['initial'], limit);
  }
  return [...found.values()].sort(byLiteralness);
}

const byLiteralness = (a: ReadingPattern, b: ReadingPattern): number =>
  patternTier(a) - patternTier(b) || a.abbreviated - b.abbreviated || a.units.length - b.units.length;

/**
 * 0 full syllables, 1 a mix, 2 initials only, 3 initials only with a two-letter one (zh, ch, sh): the usual
 * abbreviation is one letter a syllable, so shs reads 上海市 before 实施 (sh s). A typed prefix counts as a
 * syllable being spelled out.
 */
export function patternTier(pattern: ReadingPattern): number {
  const latin = pattern.units.filter((unit) => unit.kind !== 'hanzi');
  const initials = latin.filter((unit) => unit.kind === 'initial');
  if (initials.length === 0) return 0;
  if (initials.length < latin.length) return 1;
  return initials.some((unit) => unit.text.length > 1) ? 3 : 2;
}

/** A break inside (at, end) would cut a unit across a boundary the user typed. */
function crossesNoBreak(at: number, end: number, breaks: ReadonlySet<number>): boolean {
  for (let i = at + 1; i < end; i++) if (breaks.has(i)) return false;
  return true;
}

function unitFor(piece: string, choice: UnitChoice, lastTyped: boolean): PatternUnit | null {
  if (choice === 'initial') return INITIALS.has(piece) ? { kind: 'initial', text: piece } : null;
  const syllable = ALIASES.get(piece) ?? piece;
  if (lastTyped) return SYLLABLE_PREFIXES.has(syllable) ? { kind: 'prefix', text: syllable } : null;
  return SYLLABLES.has(syllable) ? { kind: 'syllable', text: syllable } : null;
}

/** A stable text for a pattern: units joined by spaces, abbreviations marked (zhi f* b*). */
export function patternKey(pattern: ReadingPattern): string {
  return pattern.units.map((unit) => (unit.kind === 'initial' || unit.kind === 'prefix' ? `${unit.text}*` : unit.text)).join(' ');
}

/** How a pattern reads, for people: syllables and initials joined by spaces (zhi fu bao, z f b). */
export function patternText(pattern: ReadingPattern): string {
  return pattern.units.map((unit) => unit.text).join(' ');
}

export type RunPart = { readonly kind: 'hanzi' | 'latin'; readonly text: string };

const HAN = /\p{Script=Han}/u;
const LATIN_PART = /[a-zA-Z\u00c0-\u024f\u0300-\u036f:'\u2019 1-5-]/;

/**
 * A query run split into hanzi parts and Latin parts (zhi付宝 → zhi | 付宝). Null when the run has anything
 * else (other scripts, other digits, punctuation), which pinyin cannot read.
 */
export function splitMixedRun(run: string): RunPart[] | null {
  const parts: RunPart[] = [];
  for (const ch of run.trim()) {
    const kind = HAN.test(ch) ? 'hanzi' : LATIN_PART.test(ch) ? 'latin' : null;
    if (kind === null) return null;
    const last = parts.at(-1);
    if (last !== undefined && last.kind === kind) parts[parts.length - 1] = { kind, text: last.text + ch };
    else parts.push({ kind, text: ch });
  }
  return parts.length === 0 ? null : parts;
}

/**
 * Every way a query run can read as pinyin (a mixed run: its hanzi stand for themselves, its Latin parts are
 * split), the most literal first. Hanzi are taken as given here: the caller folds the run (Traditional →
 * Simplified) so they compare with the vocabulary's words. Empty when the run has no Latin part that reads
 * as pinyin.
 */
export function readQueryRun(run: string, options: SplitOptions = {}): ReadingPattern[] {
  const limit = options.limit ?? 64;
  const parts = splitMixedRun(run);
  if (parts === null || !parts.some((part) => part.kind === 'latin' && part.text.trim() !== '')) return [];
  let patterns: PatternUnit[][] = [[]];
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    if (part.kind === 'hanzi') {
      const units = [...part.text].map((ch): PatternUnit => ({ kind: 'hanzi', text: ch }));
      patterns = patterns.map((units0) => [...units0, ...units]);
      continue;
    }
    const letters = latinLetters(part.text);
    if (letters === null) {
      if (part.text.trim() === '') continue;
      return [];
    }
    const last = p === parts.length - 1;
    const splits = pinyinSplits(letters, { prefix: (options.prefix ?? false) && last, limit, syllablesOnly: options.syllablesOnly ?? false });
    if (splits.length === 0) return [];
    const next: PatternUnit[][] = [];
    for (const head of patterns) for (const split of splits) if (next.length < limit) next.push([...head, ...split.units]);
    patterns = next;
  }
  return patterns
    .map((units) => ({ units, abbreviated: units.filter((unit) => unit.kind === 'initial' || unit.kind === 'prefix').length }))
    .sort(byLiteralness);
}

/**
 * Whether a word (its characters and their syllables) reads as the pattern: as many characters as units
 * (`completion`: at least as many, the pattern reading the word's start), each unit matching its character.
 */
export function matchesPattern(
  characters: readonly string[],
  syllables: readonly string[],
  pattern: ReadingPattern,
  completion = false,
): boolean {
  const { units } = pattern;
  if (completion ? syllables.length < units.length : syllables.length !== units.length) return false;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    const syllable = syllables[i]!;
    switch (unit.kind) {
      case 'syllable':
        if (syllable !== unit.text) return false;
        break;
      case 'initial':
      case 'prefix':
        if (!syllable.startsWith(unit.text)) return false;
        break;
      case 'hanzi':
        if (characters[i] !== unit.text) return false;
        break;
    }
  }
  return true;
}

/** The first letters a pattern's word can have, given the possible readings of its hanzi units. */
export function patternInitials(pattern: ReadingPattern, readingsOf: (character: string) => readonly string[], limit = 16): string[] {
  let keys = [''];
  for (const unit of pattern.units) {
    const firsts = unit.kind === 'hanzi' ? [...new Set(readingsOf(unit.text).map((syllable) => syllable[0]!))] : [unit.text[0]!];
    if (firsts.length === 0) return [];
    const next: string[] = [];
    for (const key of keys) for (const first of firsts) if (next.length < limit) next.push(key + first);
    keys = next;
  }
  return keys;
}
