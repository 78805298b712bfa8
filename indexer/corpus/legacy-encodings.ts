import { createRequire } from 'node:module';
import type Chardet from 'chardet';
import type Iconv from 'iconv-lite';

// chardet and iconv-lite load when a file is not UTF-8, not with the module: a build that reads only UTF-8 (an
// update of one line, say) starts without them.
const require = createRequire(import.meta.url);
let libraries: { readonly chardet: typeof Chardet; readonly iconv: typeof Iconv } | undefined;
const legacyLibraries = (): { readonly chardet: typeof Chardet; readonly iconv: typeof Iconv } =>
  (libraries ??= { chardet: require('chardet') as typeof Chardet, iconv: require('iconv-lite') as typeof Iconv });

export type LegacyResult =
  | { readonly ok: true; readonly text: string; readonly encoding: 'GB18030' | 'Big5' }
  /** guess: the encoding the file seems to be in, when it is worth telling the user. */
  | { readonly ok: false; readonly guess?: string };

/** chardet's names for the legacy encodings we read, mapped to iconv-lite's. */
const LEGACY: ReadonlyMap<string, { encoding: 'GB18030' | 'Big5'; iconvName: string }> = new Map([
  ['GB18030', { encoding: 'GB18030', iconvName: 'gb18030' }],
  ['Big5', { encoding: 'Big5', iconvName: 'big5' }],
]);
/** Encodings worth naming when a file is refused: the user can convert it. */
const NAMEABLE = new Set(['Shift_JIS', 'EUC-JP', 'EUC-KR', 'ISO-2022-JP', 'ISO-2022-KR', 'ISO-2022-CN', 'ISO-8859-1', 'windows-1252']);
/** chardet only needs a prefix to decide; analysing 50 MB would be slow for no gain. */
const SAMPLE_BYTES = 256 * 1024;
/** Share of non-ASCII characters that must be everyday Chinese for a legacy decode to count as text. */
const MIN_COMMON_SHARE = 0.6;

interface Candidate {
  readonly encoding: 'GB18030' | 'Big5';
  readonly confidence: number;
  readonly text: string;
  readonly common: number;
}

/**
 * Decodes bytes that are not UTF-8 as GB18030 (a superset of GBK and GB2312) or Big5. A wrong guess
 * would produce plausible-looking garbage that is indexed silently, so a decode is only accepted when
 * it is free of replacement characters, reads like Chinese (mostly everyday characters) and is not
 * Korean or Japanese in disguise.
 */
export function decodeLegacy(bytes: Uint8Array): LegacyResult {
  const { chardet, iconv } = legacyLibraries();
  const matches = chardet.analyse(bytes.subarray(0, SAMPLE_BYTES));
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const candidates: Candidate[] = [];
  for (const m of matches) {
    const legacy = LEGACY.get(m.name);
    if (legacy === undefined || m.confidence <= 0) continue;
    const text = iconv.decode(buffer, legacy.iconvName);
    if (text.includes('\uFFFD')) continue;
    candidates.push({ encoding: legacy.encoding, confidence: m.confidence, text, common: commonShare(text) });
  }
  // chardet's ranking decides; on short texts it scores GB18030 and Big5 alike (10), and then the
  // reading made of more everyday characters wins (Big5 read as GBK gives kana and rare ideographs);
  // on a full tie (a character or two) GB18030, the far more widespread of the two.
  candidates.sort((a, b) => b.confidence - a.confidence || b.common - a.common || preference(a) - preference(b));
  // Shift_JIS read as GB18030 or Big5 is rare ideographs, so it fails this test; EUC-KR and EUC-JP
  // need the check below.
  const best = candidates.find((c) => c.common >= MIN_COMMON_SHARE);
  const foreign = eucForeignLanguage(bytes);
  if (best !== undefined && foreign === undefined) return { ok: true, text: best.text, encoding: best.encoding };
  return { ok: false, guess: foreign ?? matches.find((m) => m.confidence >= 50 && NAMEABLE.has(m.name))?.name };
}

/**
 * Names Korean EUC-KR or Japanese EUC-JP, whose bytes decode cleanly as GB18030 or Big5 into everyday
 * hanzi: EUC-KR's hangul sits exactly on GB2312's level-1 rows, EUC-JP's kana rows on Big5's commonest
 * characters. All three use pairs of bytes A1–FE, but in different proportions per row:
 * - Korean is hangul (rows B0–C8) with hardly any hanja (rows CA–FD), where Chinese in GB2312 has about
 *   a third of its characters in the rows from CA;
 * - Japanese is a quarter or more kana (rows A4–A5), which Chinese in GB2312 hardly ever uses.
 * Big5 and GBK soon use a trail byte below A1, which rules both out. A dozen characters are needed:
 * shorter texts cannot be told apart.
 */
function eucForeignLanguage(bytes: Uint8Array): 'EUC-KR' | 'EUC-JP' | undefined {
  let pairs = 0;
  let hangulRows = 0;
  let hanjaRows = 0;
  let kanaRows = 0;
  const end = Math.min(bytes.length, SAMPLE_BYTES);
  for (let i = 0; i < end; i++) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) continue;
    const trail = bytes[++i] ?? 0;
    if (lead === 0x8e && trail >= 0xa1 && trail <= 0xdf) continue; // EUC-JP half-width katakana
    if (lead < 0xa1 || lead > 0xfe || trail < 0xa1 || trail > 0xfe) return undefined;
    pairs++;
    if (lead === 0xa4 || lead === 0xa5) kanaRows++;
    else if (lead >= 0xb0 && lead <= 0xc8) hangulRows++;
    else if (lead >= 0xca && lead <= 0xfd) hanjaRows++;
  }
  if (hangulRows >= 12 && hangulRows >= 0.95 * (hangulRows + hanjaRows)) return 'EUC-KR';
  if (kanaRows >= 12 && kanaRows >= 0.25 * pairs) return 'EUC-JP';
  return undefined;
}

function preference(candidate: Candidate): number {
  return candidate.encoding === 'GB18030' ? 0 : 1;
}

/** Share of the non-ASCII characters in (a prefix of) text that are common in Chinese writing. */
function commonShare(text: string): number {
  const common = commonChars();
  let total = 0;
  let hits = 0;
  for (const ch of text.slice(0, 64 * 1024)) {
    if (ch.charCodeAt(0) < 0x80) continue;
    total++;
    if (common.has(ch) || /[\u2010-\u205e\u3000-\u303f\uff01-\uffef]/.test(ch)) hits++;
  }
  return total === 0 ? 1 : hits / total;
}

let commonCache: ReadonlySet<string> | undefined;

/**
 * The everyday characters of both scripts, taken from the encodings themselves: GB2312's symbol rows
 * and level-1 hanzi (3755 most frequent Simplified), Big5's symbols and level-1 hanzi (5401 most
 * frequent Traditional). Avoids shipping a frequency list.
 */
function commonChars(): ReadonlySet<string> {
  if (commonCache !== undefined) return commonCache;
  const gb: number[] = [];
  for (let lead = 0xa1; lead <= 0xd7; lead++) {
    if (lead > 0xa3 && lead < 0xb0) continue; // kana, Greek, Cyrillic, box drawing rows
    for (let trail = 0xa1; trail <= 0xfe; trail++) gb.push(lead, trail);
  }
  const big5: number[] = [];
  for (let lead = 0xa1; lead <= 0xc6; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      const code = (lead << 8) | trail;
      const inTable = trail <= 0x7e || trail >= 0xa1;
      if (inTable && (code <= 0xa3bf || (code >= 0xa440 && code <= 0xc67e))) big5.push(lead, trail);
    }
  }
  const set = new Set<string>();
  const { iconv } = legacyLibraries();
  for (const [codes, enc] of [[gb, 'gb18030'], [big5, 'big5']] as const) {
    for (const ch of iconv.decode(Buffer.from(codes), enc)) {
      if (ch !== '\uFFFD' && !/[\ue000-\uf8ff]/.test(ch)) set.add(ch);
    }
  }
  commonCache = set;
  return set;
}
