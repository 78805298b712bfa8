// EPUB 2 and 3: the chapters in spine order, each read like HTML, each paragraph with its chapter's title.
import path from 'node:path/posix';
import { trimEdges } from '../paragraphs.js';
import { htmlText } from './html.js';
import { parseMarkup } from './markup.js';
import { UnreadableDocument, type ReadDocument, type ReadParagraph } from './types.js';
import { openZip, type ZipArchive } from './zip.js';

interface Package {
  readonly title?: string;
  /** Chapter files in reading order, as paths inside the zip. */
  readonly spine: readonly string[];
  /** The navigation document (EPUB 3) or NCX (EPUB 2), as a path inside the zip. */
  readonly nav?: { readonly file: string; readonly kind: 'nav' | 'ncx' };
}

export function readEpub(bytes: Uint8Array): ReadDocument {
  const zip = openZip(bytes);
  const container = zip.readText('META-INF/container.xml');
  if (container === undefined) throw new UnreadableDocument('corrupt', 'not an EPUB: no META-INF/container.xml inside');
  const opfPath = firstAttribute(container, 'rootfile', 'full-path');
  if (opfPath === undefined) throw new UnreadableDocument('corrupt', 'not an EPUB: container.xml names no package document');
  const opf = zip.readText(opfPath);
  if (opf === undefined) throw new UnreadableDocument('corrupt', `not an EPUB: its package document ${opfPath} is missing`);
  const book = readPackage(opf, path.dirname(opfPath));
  if ([...zip.entries.values()].some((entry) => entry.name === 'META-INF/encryption.xml')) {
    const encryption = zip.readText('META-INF/encryption.xml') ?? '';
    // Font obfuscation also lives in encryption.xml; only encrypted chapters make the book unreadable.
    if (book.spine.some((file) => encryption.includes(`URI="${path.relative(path.dirname(opfPath), file)}"`) || encryption.includes(`URI="${file}"`))) {
      throw new UnreadableDocument('encrypted', 'an EPUB with encrypted chapters (DRM)');
    }
  }
  const tableOfContents = book.nav === undefined ? new Map<string, string>() : readTableOfContents(zip, book.nav);
  const paragraphs: ReadParagraph[] = [];
  for (const file of book.spine) {
    if (file === book.nav?.file) continue; // the table of contents is navigation, not text
    const source = zip.readText(file);
    if (source === undefined) continue; // a spine entry without its file: the rest of the book is still there
    const named = tableOfContents.get(file);
    const chapter = htmlText(source, { xml: true, ...(named === undefined ? {} : { base: { chapter: named } }) });
    const chapterTitle = named ?? chapter.firstHeading ?? chapter.title;
    for (const paragraph of chapter.paragraphs) {
      const location = { ...paragraph.location, ...(chapterTitle === undefined ? {} : { chapter: chapterTitle }) };
      paragraphs.push(Object.keys(location).length > 0 ? { text: paragraph.text, location } : { text: paragraph.text });
    }
  }
  return book.title === undefined ? { paragraphs } : { title: book.title, paragraphs };
}

function readPackage(opf: string, folder: string): Package {
  const manifest = new Map<string, { href: string; type: string; properties: string }>();
  const spineIds: string[] = [];
  let tocId: string | undefined;
  let inTitle = false;
  let title = '';
  parseMarkup(opf, { xml: true }, {
    open(name, attributes) {
      const local = name.slice(name.indexOf(':') + 1);
      if (local === 'item' && attributes['id'] !== undefined && attributes['href'] !== undefined) {
        manifest.set(attributes['id'], { href: attributes['href'], type: attributes['media-type'] ?? '', properties: attributes['properties'] ?? '' });
      } else if (local === 'spine') tocId = attributes['toc'];
      else if (local === 'itemref' && attributes['idref'] !== undefined) spineIds.push(attributes['idref']);
      else if (name === 'dc:title' && title === '') inTitle = true;
    },
    text(text) {
      if (inTitle) title += text;
    },
    close(name) {
      if (name === 'dc:title') inTitle = false;
    },
  });
  const inZip = (href: string): string => path.normalize(path.join(folder, decodeURIComponent(href.split('#')[0] ?? '')));
  const spine = spineIds.flatMap((id) => {
    const item = manifest.get(id);
    return item === undefined ? [] : [inZip(item.href)];
  });
  const navItem = [...manifest.values()].find((item) => item.properties.split(/\s+/).includes('nav'));
  const ncxItem = tocId === undefined ? undefined : manifest.get(tocId);
  const nav = navItem !== undefined ? { file: inZip(navItem.href), kind: 'nav' as const } : ncxItem !== undefined ? { file: inZip(ncxItem.href), kind: 'ncx' as const } : undefined;
  const cleanTitle = trimEdges(title.replace(/\s+/g, ' '));
  return { spine, ...(cleanTitle === '' ? {} : { title: cleanTitle }), ...(nav === undefined ? {} : { nav }) };
}

/** Chapter file → its title in the table of contents (the first entry pointing into the file). */
function readTableOfContents(zip: ZipArchive, nav: { readonly file: string; readonly kind: 'nav' | 'ncx' }): Map<string, string> {
  const source = zip.readText(nav.file);
  const titles = new Map<string, string>();
  if (source === undefined) return titles;
  const folder = path.dirname(nav.file);
  let href: string | undefined;
  let label = '';
  let collecting = false;
  let inTocNav = nav.kind === 'ncx';
  let inLabel = false; // inside an NCX navLabel (not the docTitle, whose <text> is the book's title)
  const finish = (): void => {
    const text = trimEdges(label.replace(/\s+/g, ' '));
    if (href !== undefined && text !== '') {
      const file = path.normalize(path.join(folder, decodeURIComponent(href.split('#')[0] ?? '')));
      if (!titles.has(file)) titles.set(file, text);
    }
    href = undefined;
    label = '';
    collecting = false;
  };
  parseMarkup(source, { xml: true }, {
    open(name, attributes) {
      const local = name.slice(name.indexOf(':') + 1);
      if (nav.kind === 'nav') {
        if (local === 'nav') inTocNav = (attributes['epub:type'] ?? '').includes('toc') || !titles.size;
        if (inTocNav && local === 'a' && attributes['href'] !== undefined) {
          href = attributes['href'];
          collecting = true;
        }
      } else if (local === 'navPoint') {
        href = undefined;
        label = '';
      } else if (local === 'text' && inLabel) collecting = true;
      else if (local === 'navLabel') inLabel = true;
      else if (local === 'content' && attributes['src'] !== undefined) href = attributes['src'];
    },
    text(text) {
      if (collecting) label += text;
    },
    close(name) {
      const local = name.slice(name.indexOf(':') + 1);
      if (nav.kind === 'nav' && local === 'a' && collecting) finish();
      else if (nav.kind === 'nav' && local === 'nav') inTocNav = false;
      else if (nav.kind === 'ncx' && local === 'text') collecting = false;
      else if (nav.kind === 'ncx' && local === 'navLabel') inLabel = false;
      else if (nav.kind === 'ncx' && local === 'content') finish();
    },
  });
  return titles;
}

function firstAttribute(xml: string, element: string, attribute: string): string | undefined {
  let value: string | undefined;
  parseMarkup(xml, { xml: true }, {
    open(name, attributes) {
      if (value === undefined && name.slice(name.indexOf(':') + 1) === element) value = attributes[attribute];
    },
  });
  return value;
}
