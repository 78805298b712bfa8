import { parseDateText } from './dates.js';
import { splitParagraphs } from './paragraphs.js';
import type { CorpusProblem, SourceDocument } from './types.js';

export interface JsonlParseResult {
  readonly documents: SourceDocument[];
  /** lines[i] is the 1-based line documents[i] came from, so later problems (duplicates) can cite it. */
  readonly lines: number[];
  readonly problems: CorpusProblem[];
}

/**
 * Parses JSON Lines: one `{"id": string, "title"?: string, "text": string, "date"?: string}` per line. Blank
 * lines are ignored; a bad line becomes a problem with its line number and is skipped. A line without `date`
 * is dated `fileDate` when given (the reader gives none: a .jsonl line is dated only by its own field); a `date` that is not a date (dates.ts)
 * is a problem with its line number, and the document is kept undated: the text is not lost for a bad date.
 * Ids are not checked for uniqueness here: that is across all inputs, in the reader.
 */
export function parseJsonl(text: string, file: string, fileDate?: number): JsonlParseResult {
  const result: JsonlParseResult = { documents: [], lines: [], problems: [] };
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const parsed = parseLine(line, fileDate);
    if (typeof parsed === 'string') {
      result.problems.push({ file, line: i + 1, message: parsed });
    } else {
      if (parsed.dateProblem !== undefined) result.problems.push({ file, line: i + 1, message: parsed.dateProblem, kept: true });
      result.documents.push(parsed.document);
      result.lines.push(i + 1);
    }
  }
  return result;
}

/** The document on this line (and what is wrong with its date), or what is wrong with it. */
function parseLine(line: string, fileDate: number | undefined): { document: SourceDocument; dateProblem?: string } | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'expected a JSON object {"id": …, "text": …}';
  }
  const { id, title, text, date } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id.trim() === '') return `"id" must be a non-empty string, got ${describe(id)}`;
  if (typeof text !== 'string') return `"text" must be a string, got ${describe(text)} (id "${id}")`;
  if (title !== undefined && typeof title !== 'string') {
    return `"title" must be a string when present, got ${describe(title)} (id "${id}")`;
  }
  const paragraphs = splitParagraphs(text);
  if (paragraphs.length === 0) return `empty text, no paragraphs (id "${id}")`;
  const document = { id, title: title === undefined || title.trim() === '' ? id : title.trim(), paragraphs };
  if (date === undefined) return { document: fileDate === undefined ? document : { ...document, date: fileDate } };
  const parsedDate = typeof date === 'string' ? parseDateText(date) : null;
  if (parsedDate === null) {
    const shown = typeof date === 'string' ? `"${date}"` : describe(date);
    return { document, dateProblem: `"date" must be a date such as "2024-03-01" or "2024-03-01T08:00:00+08:00", got ${shown} (id "${id}"); indexed without a date` };
  }
  return { document: { ...document, date: parsedDate } };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a blank string' : `a ${typeof value}`;
}
