// PDF: the text layer's runs put back into lines and paragraphs from the layout, each paragraph with its page.
import { isCjk, joinLines, trimEdges } from '../paragraphs.js';
import { pdfTextRuns, type PdfPage, type PdfTextRun } from './pdfjs.js';
import { UnreadableDocument, type ReadDocument, type ReadParagraph } from './types.js';

/** A gap between lines this much wider than the usual line spacing of their font size starts a paragraph. */
const PARAGRAPH_GAP = 1.3;
/** Line spacing above this many font sizes is not seen inside paragraphs. */
const LOOSEST_SPACING = 1.8;
/** Runs on one line whose baselines differ by less than this share of the font size (sub- and superscripts). */
const SAME_LINE = 0.5;
/** A horizontal gap wider than this many font sizes is a column or table-cell gap: a space even between hanzi. */
const CELL_GAP = 0.8;
/** A gap between Latin runs wider than this share of the font size is a word space pdf.js did not emit. */
const WORD_GAP = 0.2;
/** A paragraph that ends a page without one of these continues on the next page. */
const SENTENCE_END = /[。！？!?．.…」』”’）)：:；;]$/u;

interface Line {
  readonly text: string;
  readonly y: number;
  readonly size: number;
  /** Where the line's last run ends. */
  readonly end: number;
}

interface PageParagraph {
  lines: string[];
  /** Its last line runs to the right edge of the text, as a line that wraps on to the next page does. */
  full: boolean;
  readonly size: number;
  readonly page: number;
}

export async function readPdf(bytes: Uint8Array): Promise<ReadDocument> {
  const { title, pages } = await pdfTextRuns(bytes);
  const paragraphs = pdfParagraphs(pages);
  if (paragraphs.length === 0) {
    throw new UnreadableDocument('no text layer', `no text layer in ${pages.length} page(s): a scan or images only (needs OCR)`);
  }
  return title === undefined ? { paragraphs } : { title, paragraphs };
}

/** The paragraphs of the pages' text runs, each with its (first) page. */
export function pdfParagraphs(pages: readonly PdfPage[]): ReadParagraph[] {
  const pageLines = pages.map((page) => pageLinesOf(page.runs));
  const spacing = lineSpacing(pageLines);
  const out: PageParagraph[] = [];
  for (const [i, lines] of pageLines.entries()) {
    const page = pages[i]!.number;
    const right = Math.max(...lines.map((line) => line.end));
    let previous: Line | undefined;
    let current: PageParagraph | undefined;
    for (const line of lines) {
      const startsParagraph =
        current === undefined ||
        previous === undefined ||
        !sameSize(previous.size, line.size) ||
        previous.y - line.y > PARAGRAPH_GAP * (spacing.get(sizeKey(line.size)) ?? line.size * 1.2) ||
        line.y > previous.y; // a jump back up the page: a new column
      if (startsParagraph) {
        const last = out[out.length - 1];
        // The first line of a page continues the last paragraph of the page before when that one ran to the right
        // edge without ending a sentence.
        const continues =
          previous === undefined && last !== undefined && last.page < page && last.full && sameSize(last.size, line.size) && !SENTENCE_END.test(last.lines[last.lines.length - 1] ?? '');
        if (continues) {
          current = last!;
        } else {
          current = { lines: [], full: false, size: line.size, page };
          out.push(current);
        }
      }
      current!.lines.push(line.text);
      current!.full = line.end >= right - 2 * line.size;
      previous = line;
    }
  }
  return out.map((p) => ({ text: joinLines(p.lines), location: { page: p.page } })).filter((p) => p.text !== '');
}

/** A page's runs grouped into lines, top to bottom, each line's runs left to right and joined. */
function pageLinesOf(runs: readonly PdfTextRun[]): Line[] {
  const groups: PdfTextRun[][] = [];
  for (const raw of runs) {
    // Glyphs without a Unicode mapping come out as control characters (NUL for a list's number, say).
    const run = { ...raw, text: raw.text.replace(/[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/g, '') };
    if (run.text === '') continue;
    const group = groups[groups.length - 1];
    const anchor = group?.[0];
    if (group !== undefined && anchor !== undefined && Math.abs(anchor.y - run.y) < SAME_LINE * Math.max(anchor.size, run.size)) group.push(run);
    else groups.push([run]);
  }
  const lines: Line[] = [];
  for (const group of groups) {
    group.sort((a, b) => a.x - b.x);
    let text = '';
    let end = Number.NEGATIVE_INFINITY;
    const size = Math.max(...group.map((run) => run.size));
    for (const run of group) {
      const gap = run.x - end;
      if (text !== '' && !/\s$/.test(text) && !/^\s/.test(run.text)) {
        const cjkJoin = isCjk(lastChar(text)) || isCjk(run.text[0] ?? '');
        if (gap > CELL_GAP * size || (!cjkJoin && gap > WORD_GAP * size)) text += ' ';
      }
      text += run.text;
      end = Math.max(end, run.x + run.width);
    }
    const trimmed = trimEdges(text.replace(/\s+/g, ' '));
    if (trimmed !== '') lines.push({ text: trimmed, y: group[0]!.y, size, end });
  }
  return lines;
}

/**
 * The usual distance between consecutive lines of each font size over the whole document: the lower quartile of
 * the gaps (most gaps are inside paragraphs, and the smaller ones surely are), at most LOOSEST_SPACING sizes (past
 * that the gaps seen are all between paragraphs, as in a list of one-line paragraphs).
 */
function lineSpacing(pageLines: readonly Line[][]): Map<number, number> {
  const gaps = new Map<number, number[]>();
  for (const lines of pageLines) {
    for (let i = 1; i < lines.length; i++) {
      const [a, b] = [lines[i - 1]!, lines[i]!];
      const gap = a.y - b.y;
      if (gap > 0 && sameSize(a.size, b.size)) {
        const key = sizeKey(b.size);
        gaps.set(key, [...(gaps.get(key) ?? []), gap]);
      }
    }
  }
  const spacing = new Map<number, number>();
  for (const [key, list] of gaps) {
    list.sort((x, y) => x - y);
    spacing.set(key, Math.min(list[Math.floor((list.length - 1) / 4)]!, LOOSEST_SPACING * key));
  }
  return spacing;
}

function sameSize(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.05 * Math.max(a, b);
}

function sizeKey(size: number): number {
  return Math.round(size * 2) / 2;
}

function lastChar(text: string): string {
  return Array.from(text.slice(-2)).pop() ?? '';
}
