// HTML (and the XHTML of EPUB chapters): the text of block elements as paragraphs, under their headings.
import { decodeBytes, looksBinary, strictDecode } from '../decode.js';
import { isCjk, joinLines, trimEdges } from '../paragraphs.js';
import type { ParagraphLocation } from '../types.js';
import { parseMarkup } from './markup.js';
import { UnreadableDocument, type ReadDocument, type ReadParagraph } from './types.js';

/** Elements whose start or end ends a paragraph. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl',
  'dt', 'fieldset', 'figcaption', 'figure', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'html', 'legend', 'li', 'main', 'menu', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot',
  'th', 'thead', 'tr', 'ul',
]);
/** Elements whose content is not the document's text: code, metadata, and the site's navigation chrome. */
const SKIPPED = new Set([
  'script', 'style', 'template', 'noscript', 'head', 'nav', 'footer', 'svg', 'math', 'iframe', 'object', 'canvas',
  'select', 'button', 'textarea',
]);
/** ARIA roles of navigation chrome, and of a note's reference mark and back link (a stray digit or arrow in the text). */
const CHROME_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'search', 'menu', 'menubar', 'doc-noteref', 'doc-backlink']);
const HEADING = /^h([1-6])$/;
/** Where browsers look for <meta charset>: the first 1024 bytes. */
const PRESCAN_BYTES = 1024;
const META_CHARSET = /<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i;
/** WHATWG treats every GBK label as GBK; GB18030 decodes all of GBK and more, so it is read as GB18030. */
const LABELS: ReadonlyMap<string, string> = new Map([
  ['gbk', 'gb18030'], ['gb2312', 'gb18030'], ['gb_2312-80', 'gb18030'], ['x-gbk', 'gb18030'], ['chinese', 'gb18030'],
  ['csgb2312', 'gb18030'], ['iso-ir-58', 'gb18030'], ['gb18030', 'gb18030'], ['big5', 'big5'], ['big5-hkscs', 'big5'],
  ['x-x-big5', 'big5'], ['cn-big5', 'big5'], ['csbig5', 'big5'], ['utf-8', 'utf-8'], ['utf8', 'utf-8'], ['unicode-1-1-utf-8', 'utf-8'],
]);

/** Reads an HTML file: bytes decoded (BOM, then <meta charset>, then detection), then its text. */
export function readHtml(bytes: Uint8Array): ReadDocument {
  return htmlText(decodeHtml(bytes), { xml: false });
}

/**
 * The page's text. Trust order: a byte order mark, then the page's own <meta charset> (a detector must not
 * override what the author declared), then the detection plain text files get (UTF-8, GB18030, Big5).
 */
export function decodeHtml(bytes: Uint8Array): string {
  const hasBom = (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) || (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!hasBom) {
    if (looksBinary(bytes.subarray(0, 64 * 1024))) throw new UnreadableDocument('corrupt', 'not HTML: a binary file');
    const declared = declaredCharset(bytes);
    if (declared !== undefined) {
      const text = strictDecode(LABELS.get(declared) ?? declared, bytes);
      if (text !== undefined) return text.replace(/\r\n?/g, '\n');
      // A page whose bytes are not in its declared encoding: detection is the better guess than garbage.
    }
  }
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) throw new UnreadableDocument(decoded.reason === 'binary file' ? 'corrupt' : 'unreadable', decoded.reason);
  return decoded.text;
}

function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, PRESCAN_BYTES));
  const label = META_CHARSET.exec(head)?.[1]?.toLowerCase();
  if (label === undefined) return undefined;
  try {
    new TextDecoder(LABELS.get(label) ?? label);
    return label;
  } catch {
    return undefined; // a label no decoder knows: as if undeclared
  }
}

export interface HtmlText extends ReadDocument {
  /** The first heading's text, the title of an EPUB chapter the table of contents does not name. */
  readonly firstHeading?: string;
}

/**
 * The paragraphs of (X)HTML source: each block element's text, whitespace collapsed the way CSS does it for
 * Chinese (a line break between two CJK characters is no space), each paragraph with the headings it is
 * under. `base` is added to every location (an EPUB chapter). Title: <title>, else the first heading.
 */
export function htmlText(source: string, options: { readonly xml: boolean; readonly base?: ParagraphLocation }): HtmlText {
  const paragraphs: ReadParagraph[] = [];
  const headings: { level: number; text: string }[] = [];
  let skipDepth = 0; // > 0 inside an element whose text is not the document's
  let inTitle = false;
  let title = '';
  let pending: string[] = ['']; // the current block's text, one string per line (split at <br>)
  let headingLevel = 0; // of the heading being read, 0 outside one
  let firstHeading: string | undefined;

  const flush = (): void => {
    const text = blockText(pending);
    pending = [''];
    const level = headingLevel;
    headingLevel = 0;
    if (text === '') return;
    if (level > 0) {
      while (headings.length > 0 && headings[headings.length - 1]!.level >= level) headings.pop();
      headings.push({ level, text });
      firstHeading ??= text;
    }
    const path = headings.map((h) => h.text);
    const location: ParagraphLocation = { ...options.base, ...(path.length > 0 ? { headings: path } : {}) };
    paragraphs.push(Object.keys(location).length > 0 ? { text, location } : { text });
  };
  const local = (name: string): string => (options.xml ? name.slice(name.indexOf(':') + 1).toLowerCase() : name);

  parseMarkup(source, { xml: options.xml }, {
    open(rawName, attributes) {
      const name = local(rawName);
      if (name === 'title' && skipDepth <= 1) inTitle = true;
      if (skipDepth > 0 || isSkipped(name, attributes)) {
        skipDepth++;
        return;
      }
      if (name === 'br') pending.push('');
      else if (BLOCKS.has(name)) {
        flush();
        const heading = HEADING.exec(name);
        if (heading) headingLevel = Number(heading[1]);
      }
    },
    text(text) {
      if (inTitle) title += text;
      else if (skipDepth === 0) pending[pending.length - 1] += text;
    },
    close(rawName) {
      const name = local(rawName);
      if (name === 'title') inTitle = false;
      if (skipDepth > 0) {
        skipDepth--;
        return;
      }
      if (BLOCKS.has(name)) flush();
    },
  });
  flush();
  const cleanTitle = blockText([title]);
  const result = { paragraphs, ...(firstHeading === undefined ? {} : { firstHeading }) };
  const chosen = cleanTitle !== '' ? cleanTitle : firstHeading;
  return chosen === undefined ? result : { title: chosen, ...result };
}

function isSkipped(name: string, attributes: Readonly<Record<string, string>>): boolean {
  if (SKIPPED.has(name)) return true;
  if (attributes['hidden'] !== undefined || attributes['aria-hidden'] === 'true') return true;
  const role = attributes['role'];
  if (role !== undefined && CHROME_ROLES.has(role)) return true;
  const type = attributes['epub:type'];
  if (type === 'noteref' || type === 'backlink') return true;
  // EPUB 2 has no epub:type; the class names pandoc and most converters give a note's marks.
  return /(?:^|\s)(?:footnote-ref|footnote-back|noteref)(?:\s|$)/.test(attributes['class'] ?? '');
}

/**
 * One block's text: lines (split at <br>) each with whitespace runs collapsed to a space, except a run holding a
 * line break between two CJK characters, which is nothing (CSS Text's segment break rule); lines joined the way
 * hard-wrapped plain text is.
 */
function blockText(lines: readonly string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    const collapsed = trimEdges(collapseWhitespace(line));
    if (collapsed !== '') out.push(collapsed);
  }
  return out.length === 0 ? '' : joinLines(out);
}

function collapseWhitespace(text: string): string {
  return text.replace(/[ \t\n\r\f]+/g, (run, at: number) => {
    if (!run.includes('\n')) return ' ';
    const before = text.codePointAt(at - 1 - (at >= 2 && isLowSurrogate(text.charCodeAt(at - 1)) ? 1 : 0));
    const after = text.codePointAt(at + run.length);
    if (before === undefined || after === undefined) return ' ';
    return isCjk(String.fromCodePoint(before)) && isCjk(String.fromCodePoint(after)) ? '' : ' ';
  });
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
