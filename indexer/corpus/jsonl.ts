import { splitParagraphs } from './paragraphs.js';
import type { CorpusProblem, SourceDocument } from './types.js';

export interface JsonlParseResult {
  readonly documents: SourceDocument[];
  /** lines[i] is the 1-based line documents[i] came from, so later problems (duplicates) can cite it. */
  readonly lines: number[];
  readonly problems: CorpusProblem[];
}

/**
 * Parses JSON Lines: one `{"id": string, "title"?: string, "text": string}` per line. Blank lines are
 * ignored; a bad line becomes a problem with its line number and is skipped. Ids are not checked for
 * uniqueness here: that is across all inputs, in the reader.
 */
export function parseJsonl(text: string, file: string): JsonlParseResult {
  const result: JsonlParseResult = { documents: [], lines: [], problems: [] };
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const parsed = parseLine(line);
    if (typeof parsed === 'string') {
      result.problems.push({ file, line: i + 1, message: parsed });
    } else {
      result.documents.push(parsed);
      result.lines.push(i + 1);
    }
  }
  return result;
}

/** The document on this line, or what is wrong with it. */
function parseLine(line: string): SourceDocument | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'expected a JSON object {"id": …, "text": …}';
  }
  const { id, title, text } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id.trim() === '') return `"id" must be a non-empty string, got ${describe(id)}`;
  if (typeof text !== 'string') return `"text" must be a string, got ${describe(text)} (id "${id}")`;
  if (title !== undefined && typeof title !== 'string') {
    return `"title" must be a string when present, got ${describe(title)} (id "${id}")`;
  }
  const paragraphs = splitParagraphs(text);
  if (paragraphs.length === 0) return `empty text, no paragraphs (id "${id}")`;
  return { id, title: title === undefined || title.trim() === '' ? id : title.trim(), paragraphs };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a blank string' : `a ${typeof value}`;
}
