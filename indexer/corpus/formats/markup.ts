// The HTML/XML adapter: the only module that imports htmlparser2. Readers see a stream of open, text and close
// events rather than a tree, so a deeply nested file costs a counter, not a deep recursion.
import { Parser } from 'htmlparser2';
import { UnreadableDocument } from './types.js';

/**
 * Deepest element nesting read. Real pages and office XML stay in the hundreds; htmlparser2 slows down more than
 * linearly past tens of thousands, so a hostile file is refused here rather than left to the worker's time limit.
 */
export const MAX_NESTING = 10_000;

export interface MarkupHandlers {
  /** Element names are lower case in HTML and as written (with their prefix, e.g. `w:p`) in XML. */
  open?(name: string, attributes: Readonly<Record<string, string>>): void;
  /** Text with entities decoded; one run of text may arrive in several pieces. */
  text?(text: string): void;
  close?(name: string): void;
}

/** Parses HTML (forgiving, as browsers do: implied end tags are reported) or XML (`xml: true`). */
export function parseMarkup(source: string, options: { readonly xml: boolean }, handlers: MarkupHandlers): void {
  let depth = 0;
  const parser = new Parser(
    {
      onopentag: (name, attributes) => {
        if (++depth > MAX_NESTING) throw new UnreadableDocument('too large', `elements nested deeper than ${MAX_NESTING}`);
        handlers.open?.(name, attributes);
      },
      ontext: (text) => handlers.text?.(text),
      onclosetag: (name) => {
        depth--;
        handlers.close?.(name);
      },
    },
    { xmlMode: options.xml, decodeEntities: true, lowerCaseTags: !options.xml, lowerCaseAttributeNames: !options.xml, recognizeSelfClosing: true },
  );
  parser.write(source);
  parser.end();
}
