// Arbitraries shared by the property tests: text mixing everything the corpus and the query box can hold.
import fc from 'fast-check';

export const FRAGMENTS = [
  // Traditional and Simplified CJK, words and single characters
  '支付寶', '支付宝', '系統', '系统', '經歷', '经历', '雙', '双', '臺灣', '台湾', '後', '后', '裡', '著', '髮', '乾',
  '程立', '天猫', '金服', '阿里巴巴', '大會', '發展', '网路', '繻',
  // ASCII words and digits
  'CTO', 'iPad', '2135', '64K', 'a', 'Z', '0', '11',
  // full-width forms
  'ＣＴＯ', 'ｉＰａｄ', '１２３', 'Ａ', '！', '（', '）',
  // astral: ideographs, emoji with a skin-tone modifier, a mathematical letter, a flag
  '𦈡', '𠮷', '😀', '👍🏽', '𝐀', '🇨🇳',
  // combining marks
  'e\u0301', 'a\u0308\u0301', '\u0301',
  // NFKC expanders
  '……', '…', '㈠', 'ﬁ', '㎏', '①', '½', '㍻', '\ufdfa',
  // spaces and punctuation
  ' ', '\u3000', '\t', '\n', '\u00a0', '，', '。', '、', '「', '」', '《', '》', '.', '-', '"', '\\', '#',
  // invisibles, NUL and lone surrogates
  '\u200b', '\u00ad', '\ufeff', '\u200d', '\0', '\ud800', '\udfff', '\ud83d', '\ude00',
];

export const fragment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: fc.integer({ min: 0x4e00, max: 0x9fff }).map((cp) => String.fromCodePoint(cp)) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{1,6}$/) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)) },
);

/** Text of up to 30 fragments. */
export const mixedText = fc.array(fragment, { maxLength: 30 }).map((parts) => parts.join(''));
