// Word (.docx): the document's XML read directly (paragraphs, headings, table cells, text boxes, then footnotes
// and endnotes), each paragraph with the headings it sits under.
import { joinLines, trimEdges } from '../paragraphs.js';
import type { ParagraphLocation } from '../types.js';
import { parseMarkup } from './markup.js';
import { UnreadableDocument, type ReadDocument, type ReadParagraph } from './types.js';
import { openZip, type ZipArchive } from './zip.js';

/** An OLE compound file: what Word writes for a password-protected .docx (and for the old .doc). */
const COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

interface Style {
  readonly name: string;
  readonly basedOn?: string;
  readonly outlineLevel?: number;
}

export function readDocx(bytes: Uint8Array): ReadDocument {
  if (COMPOUND_FILE.every((b, i) => bytes[i] === b)) {
    if (containsUtf16(bytes, 'EncryptedPackage')) throw new UnreadableDocument('encrypted', 'a password-protected Word document');
    throw new UnreadableDocument('unsupported type', 'an OLE compound file (an old .doc saved as .docx?), not a .docx');
  }
  const zip = openZip(bytes);
  const body = zip.readText('word/document.xml');
  if (body === undefined) throw new UnreadableDocument('corrupt', 'not a Word document: no word/document.xml inside');
  const styles = readStyles(zip.readText('word/styles.xml'));
  const references = new Map<string, readonly string[]>(); // note id → the headings where it is referenced
  const document = wordParagraphs(body, styles, 'body', references);
  const notes = (['footnote', 'endnote'] as const).flatMap((kind) => {
    const xml = zip.readText(`word/${kind}s.xml`);
    return xml === undefined ? [] : wordParagraphs(xml, styles, kind, references).paragraphs;
  });
  const title = coreTitle(zip) ?? document.styledTitle ?? document.firstHeading;
  const paragraphs = [...document.paragraphs, ...notes];
  return title === undefined ? { paragraphs } : { title, paragraphs };
}

interface WordText {
  readonly paragraphs: ReadParagraph[];
  readonly firstHeading?: string;
  readonly styledTitle?: string;
}

interface OpenParagraph {
  lines: string[];
  style?: string;
  outlineLevel?: number;
}

/**
 * The paragraphs of document.xml (part 'body') or of footnotes.xml / endnotes.xml. In the body, a note
 * reference records the headings above it; a note's paragraphs are then placed under those headings.
 */
function wordParagraphs(xml: string, styles: ReadonlyMap<string, Style>, part: 'body' | 'footnote' | 'endnote', references: Map<string, readonly string[]>): WordText {
  const paragraphs: ReadParagraph[] = [];
  const headings: { level: number; text: string }[] = [];
  const open: OpenParagraph[] = []; // a text box's paragraphs sit inside the paragraph that anchors it
  let inText = false;
  let skipDepth = 0;
  let noteHeadings: readonly string[] = [];
  let firstHeading: string | undefined;
  let styledTitle: string | undefined;

  parseMarkup(xml, { xml: true }, {
    open(name, attributes) {
      // mc:Fallback repeats an mc:Choice (a text box in both DrawingML and VML): read one of them.
      if (skipDepth > 0 || name === 'mc:Fallback' || name === 'w:del' || name === 'w:instrText') {
        skipDepth++;
        return;
      }
      const top = open[open.length - 1];
      switch (name) {
        case 'w:p':
          open.push({ lines: [''] });
          break;
        case 'w:t':
          inText = true;
          break;
        case 'w:tab':
          if (top !== undefined) top.lines[top.lines.length - 1] += ' ';
          break;
        case 'w:br':
        case 'w:cr':
          top?.lines.push('');
          break;
        case 'w:pStyle':
          if (top !== undefined) top.style = attributes['w:val'];
          break;
        case 'w:outlineLvl':
          if (top !== undefined) top.outlineLevel = Number(attributes['w:val']);
          break;
        case 'w:footnote':
        case 'w:endnote': {
          const type = attributes['w:type'];
          if (type === 'separator' || type === 'continuationSeparator' || type === 'continuationNotice') skipDepth++;
          else noteHeadings = references.get(`${part}:${attributes['w:id'] ?? ''}`) ?? [];
          break;
        }
        case 'w:footnoteReference':
        case 'w:endnoteReference':
          if (part === 'body') references.set(`${name === 'w:footnoteReference' ? 'footnote' : 'endnote'}:${attributes['w:id'] ?? ''}`, headings.map((h) => h.text));
          break;
      }
    },
    text(text) {
      const top = open[open.length - 1];
      if (inText && skipDepth === 0 && top !== undefined) top.lines[top.lines.length - 1] += text;
    },
    close(name) {
      if (skipDepth > 0) {
        skipDepth--;
        return;
      }
      if (name === 'w:t') inText = false;
      if (name !== 'w:p') return;
      const paragraph = open.pop();
      if (paragraph === undefined) return;
      const lines = paragraph.lines.map(trimEdges).filter((line) => line !== '');
      if (lines.length === 0) return;
      const text = joinLines(lines);
      const style = paragraph.style === undefined ? undefined : styles.get(paragraph.style);
      const level = paragraph.outlineLevel ?? headingLevel(paragraph.style, styles);
      if (style?.name.toLowerCase() === 'title' || paragraph.style === 'Title') styledTitle ??= text;
      if (level !== undefined && part === 'body') {
        while (headings.length > 0 && headings[headings.length - 1]!.level >= level) headings.pop();
        headings.push({ level, text });
        firstHeading ??= text;
      }
      const path = part === 'body' ? headings.map((h) => h.text) : noteHeadings;
      const location: ParagraphLocation = { ...(path.length > 0 ? { headings: path } : {}), ...(part === 'body' ? {} : { note: part }) };
      paragraphs.push(Object.keys(location).length > 0 ? { text, location } : { text });
    },
  });
  return { paragraphs, ...(firstHeading === undefined ? {} : { firstHeading }), ...(styledTitle === undefined ? {} : { styledTitle }) };
}

/** A heading's level (0 = Heading 1), from its style or the styles it is based on; undefined for body text. */
function headingLevel(styleId: string | undefined, styles: ReadonlyMap<string, Style>): number | undefined {
  const seen = new Set<string>();
  for (let id = styleId; id !== undefined && !seen.has(id); id = styles.get(id)?.basedOn) {
    seen.add(id);
    const style = styles.get(id);
    const named = /^heading ([1-9])$/i.exec(style?.name ?? id.replace(/^Heading(\d)$/, 'heading $1'));
    if (named) return Number(named[1]) - 1;
    if (style?.outlineLevel !== undefined && style.outlineLevel < 9) return style.outlineLevel;
  }
  return undefined;
}

function readStyles(xml: string | undefined): Map<string, Style> {
  const styles = new Map<string, Style>();
  if (xml === undefined) return styles;
  let current: { id: string; name: string; basedOn?: string; outlineLevel?: number } | undefined;
  parseMarkup(xml, { xml: true }, {
    open(name, attributes) {
      if (name === 'w:style') current = { id: attributes['w:styleId'] ?? '', name: '' };
      else if (current !== undefined && name === 'w:name') current.name = attributes['w:val'] ?? '';
      else if (current !== undefined && name === 'w:basedOn') current.basedOn = attributes['w:val'];
      else if (current !== undefined && name === 'w:outlineLvl') current.outlineLevel = Number(attributes['w:val']);
    },
    close(name) {
      if (name === 'w:style' && current !== undefined) {
        const { id, ...style } = current;
        styles.set(id, style);
        current = undefined;
      }
    },
  });
  return styles;
}

function coreTitle(zip: ZipArchive): string | undefined {
  const xml = zip.readText('docProps/core.xml');
  if (xml === undefined) return undefined;
  let inTitle = false;
  let title = '';
  parseMarkup(xml, { xml: true }, {
    open: (name) => (inTitle = name === 'dc:title'),
    text: (text) => {
      if (inTitle) title += text;
    },
    close: () => (inTitle = false),
  });
  const trimmed = trimEdges(title.replace(/\s+/g, ' '));
  return trimmed === '' ? undefined : trimmed;
}

function containsUtf16(bytes: Uint8Array, text: string): boolean {
  const needle = Buffer.from(text, 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
}
