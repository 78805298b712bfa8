// Builds small zip files (DOCX, EPUB) in memory for tests of structures no producer here writes.
import { strToU8, zipSync, type Zippable } from 'fflate';

export function zipOf(entries: Record<string, string | Uint8Array>): Uint8Array {
  const files: Zippable = {};
  for (const [name, content] of Object.entries(entries)) files[name] = typeof content === 'string' ? strToU8(content) : content;
  return zipSync(files);
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/** A minimal .docx whose body is `body` (the XML inside <w:body>), with Heading 1/2 styles and footnotes. */
export function docxOf(body: string, footnotes?: string): Uint8Array {
  const styles =
    `<w:styles ${W}>` +
    '<w:style w:styleId="H1"><w:name w:val="heading 1"/></w:style>' +
    '<w:style w:styleId="H2"><w:name w:val="heading 2"/></w:style>' +
    '<w:style w:styleId="MyChapter"><w:name w:val="My Chapter"/><w:basedOn w:val="H1"/></w:style>' +
    '</w:styles>';
  return zipOf({
    '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'word/document.xml': `<w:document ${W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>${body}</w:body></w:document>`,
    'word/styles.xml': styles,
    ...(footnotes === undefined ? {} : { 'word/footnotes.xml': `<w:footnotes ${W}>${footnotes}</w:footnotes>` }),
  });
}

export const wordParagraph = (text: string, style?: string): string =>
  `<w:p>${style === undefined ? '' : `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>`}<w:r><w:t>${text}</w:t></w:r></w:p>`;
