// The one place text becomes HTML. Every interpolated value is escaped unless it is already SafeHtml,
// which only this module's functions (and markup built from them) produce.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const NEEDS_ESCAPE = /[&<>"']/;

/** Escapes text for use in element content and in quoted attribute values. Lone surrogates become U+FFFD. */
export function escapeHtml(text: string): string {
  const wellFormed = text.toWellFormed();
  // Most text (every Chinese paragraph) has nothing to escape: a test is cheaper than a replace that finds nothing.
  return NEEDS_ESCAPE.test(wellFormed) ? wellFormed.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!) : wellFormed;
}

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | null | undefined | false | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: literal parts are markup, interpolations are escaped. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** What escapeHtml changes: the five characters and lone surrogates (a surrogate of a pair may end a slice). */
const NEEDS_ESCAPE_OR_MENDING = /[&<>"'\ud800-\udfff]/;

/** Text with the given [start, end) ranges (sorted, non-overlapping) wrapped in <mark>, all of it escaped. */
export function markRanges(text: string, ranges: readonly (readonly [number, number])[]): SafeHtml {
  // No slice of a text without any of those changes when escaped (most Chinese paragraphs): one test, not one
  // per slice.
  const escape = NEEDS_ESCAPE_OR_MENDING.test(text) ? escapeHtml : (slice: string): string => slice;
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    out += escape(text.slice(at, start)) + '<mark>' + escape(text.slice(start, end)) + '</mark>';
    at = end;
  }
  return new SafeHtml(out + escape(text.slice(at)));
}
