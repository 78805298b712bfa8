import type { ParagraphLocation } from './types.js';

/**
 * Characters of East Asian writing, between which a hard line break stands for nothing (Chinese has no
 * spaces between words): Han, kana, hangul, bopomofo, CJK and full-width punctuation. The quotes,
 * dashes, ellipsis and middle dot Chinese shares with Western typography count too; they only
 * suppress the space when the character on the other side of the break is CJK as well.
 */
const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u3000-\u303f\u30a0-\u30ff\uff00-\uffef\ufe10-\ufe1f\ufe30-\ufe4f\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u00b7]/u;

/** Only whitespace; String.prototype.trim's set includes U+3000, NBSP and the other Unicode spaces. */
function isBlank(line: string): boolean {
  return line.trim() === '';
}

/**
 * Trims ASCII whitespace and the ideographic space (the usual paragraph indent "　　") from both ends.
 * A loop rather than a regex: a regex anchored at $ retries every whitespace run, quadratic on huge lines.
 */
export function trimEdges(line: string): string {
  const edge = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x3000;
  let start = 0;
  let end = line.length;
  while (start < end && edge(line.charCodeAt(start))) start++;
  while (end > start && edge(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

/**
 * Splits text into paragraphs: blocks separated by blank lines, each block's lines joined into one.
 * Never returns empty strings.
 */
export function splitParagraphs(text: string): string[] {
  const paragraphs: string[] = [];
  let block: string[] = [];
  const flush = (): void => {
    if (block.length > 0) paragraphs.push(joinLines(block));
    block = [];
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (isBlank(line)) flush();
    else block.push(trimEdges(line));
  }
  flush();
  return paragraphs;
}

/** Joins trimmed, non-empty hard-wrapped lines: no separator between two CJK characters, else a space. */
export function joinLines(lines: readonly string[]): string {
  const parts: string[] = [];
  let previous = '';
  for (const line of lines) {
    if (parts.length > 0) parts.push(isCjk(lastChar(previous)) && isCjk(firstChar(line)) ? '' : ' ');
    parts.push(line);
    previous = line;
  }
  return parts.join('');
}

function firstChar(s: string): string {
  return String.fromCodePoint(s.codePointAt(0) ?? 0);
}

function lastChar(s: string): string {
  const last = s.charCodeAt(s.length - 1);
  // A trailing low surrogate belongs to a supplementary-plane character (e.g. CJK Extension B).
  const width = last >= 0xdc00 && last <= 0xdfff && s.length > 1 ? 2 : 1;
  return s.slice(s.length - width);
}

export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

const ATX = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(```|~~~)/;

/**
 * The first Markdown heading: ATX (`# Title`, closing #'s removed) or setext (text underlined with
 * === or ---). Skips YAML front matter and fenced code, where `#` lines are not headings.
 */
export function titleFromMarkdown(text: string): string | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  let i = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, n) => n > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (end > 0) i = end + 1;
  }
  let fence: string | undefined;
  let paragraph: string[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceMark === fence) fence = undefined;
      continue;
    }
    if (fenceMark !== undefined) {
      fence = fenceMark;
      paragraph = [];
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      const title = (atx[1] ?? '').trim();
      if (title !== '') return title;
      paragraph = [];
    } else if (SETEXT_UNDERLINE.test(line) && paragraph.length > 0) {
      const title = joinLines(paragraph);
      if (title !== '') return title;
    } else if (isBlank(line)) {
      paragraph = [];
    } else {
      paragraph.push(trimEdges(line));
    }
  }
  return undefined;
}

const ATX_PARAGRAPH = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

/**
 * The headings each Markdown paragraph sits under (ATX headings, `# Title`; a heading's own path ends with
 * itself), parallel to splitParagraphs' output. Paragraphs before the first heading get an empty location.
 */
export function markdownLocations(paragraphs: readonly string[]): ParagraphLocation[] {
  const headings: { level: number; text: string }[] = [];
  return paragraphs.map((paragraph) => {
    const atx = ATX_PARAGRAPH.exec(paragraph);
    const text = atx?.[2]?.trim() ?? '';
    if (atx && text !== '') {
      const level = atx[1]!.length;
      while (headings.length > 0 && headings[headings.length - 1]!.level >= level) headings.pop();
      headings.push({ level, text });
    }
    return headings.length === 0 ? {} : { headings: headings.map((h) => h.text) };
  });
}
