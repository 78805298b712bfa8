// The only module that imports nodejieba. jieba's dictionaries are process-global, so they are loaded once;
// asking for a different user dictionary later is an error rather than a silent mix of two analyzers. An update
// of a few documents may load only the part of the dictionary their texts need (jieba-subset.ts): any other
// text then loads the whole dictionary before it is cut.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodejieba from 'nodejieba';
import { foldString } from './fold.js';
import { dictionarySubset, indexDictionary, type DictionaryIndex } from './jieba-subset.js';

// The typings omit the dictionary paths that index.js exports.
const jieba = nodejieba as typeof nodejieba & {
  readonly DEFAULT_DICT: string;
  readonly DEFAULT_HMM_DICT: string;
  readonly DEFAULT_USER_DICT: string;
};

/** The compiled binding as Sou's install step builds it (patches/nodejieba+3.5.8.patch adds loadAsync). */
interface Binding {
  load(dict: string, model: string, userDict: string, idf: string, stopWords: string): boolean;
  loadAsync?(dict: string, model: string, userDict: string, idf: string, stopWords: string): Promise<boolean>;
  cut(text: string, hmm: boolean): string[];
}

// The binding itself rather than index.js's wrapper: the wrapper loads the default dictionaries before its
// first cut() unless its own load() ran, which would undo a loadAsync().
const binding = createRequire(import.meta.url)(
  join(dirname(createRequire(import.meta.url).resolve('nodejieba/package.json')), 'build', 'Release', 'nodejieba.node'),
) as Binding;

// Keyword extraction is never used: one-line stand-ins for its dictionaries save load time and memory
// (jieba-extract/README.md). They sit beside the sources and are found from dist/ too.
const EXTRACT_STAND_IN = (() => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const folder = [join(here, 'jieba-extract'), join(here, '../../../indexer/analyzer/jieba-extract')].find((dir) => existsSync(dir));
  if (folder === undefined) throw new Error(`sou: indexer/analyzer/jieba-extract is missing beside ${here}`);
  return { idf: join(folder, 'idf.utf8'), stopWords: join(folder, 'stop_words.utf8') };
})();

let loadedUserDict: string | null | undefined; // undefined: not loaded yet; null: no user dictionary
let loading: { readonly userDict: string | null; readonly done: Promise<void> } | undefined;
/** When a part of the dictionary is loaded: the texts it segments as the whole one does (joined by NULs too). */
let subsetFor: { readonly texts: ReadonlySet<string>; readonly joined: string } | undefined;

/** The five paths nodejieba's load takes; cppjieba accepts several user dictionaries separated by '|'. */
function dictionaryPaths(userDict: string | null): [string, string, string, string, string] {
  // Keep jieba's own small user dictionary first.
  const userDicts = userDict === null ? jieba.DEFAULT_USER_DICT : `${jieba.DEFAULT_USER_DICT}|${foldedDictionary(userDict)}`;
  return [jieba.DEFAULT_DICT, jieba.DEFAULT_HMM_DICT, userDicts, EXTRACT_STAND_IN.idf, EXTRACT_STAND_IN.stopWords];
}

/**
 * True when jieba is loaded with this user dictionary (`whole`: and the whole dictionary, not a part); an error
 * when it is, or is being, loaded with another.
 */
function alreadyLoaded(userDict: string | null, whole = false): boolean {
  if (loadedUserDict === undefined && loading === undefined) return false;
  const current = loadedUserDict !== undefined ? loadedUserDict : loading!.userDict;
  if (current !== userDict) throw new Error(`sou: jieba is already loaded with user dictionary ${current ?? '(none)'}, not ${userDict ?? '(none)'}`);
  return loadedUserDict !== undefined && (!whole || subsetFor === undefined);
}

/**
 * Loads jieba's dictionaries plus an optional user dictionary (jieba's format: `word [freq] [tag]` per line).
 * A part loaded by loadJiebaFor stays: cutWords loads the whole dictionary for a text the part does not cover.
 */
export function loadJieba(userDict: string | null): void {
  if (alreadyLoaded(userDict)) return;
  if (loading !== undefined) throw new Error('sou: jieba is being loaded on the thread pool; wait for loadJiebaAsync');
  loadWhole(userDict);
}

function loadWhole(userDict: string | null): void {
  binding.load(...dictionaryPaths(userDict));
  loadedUserDict = userDict;
  subsetFor = undefined;
}

let dictionaryIndexCache: DictionaryIndex | undefined;

/**
 * jieba's dictionary grouped for look-ups (jieba-subset.ts), kept in the temporary folder under the dictionary's
 * size and time: a line of JSON (the numbers, each first code point and where its group's bytes are) and then
 * the groups' UTF-8, of which a look-up decodes only the groups of the code points it meets. Reading it costs a
 * few milliseconds; grouping the dictionary again, a good part of what loading it whole does.
 */
function dictionaryIndex(temporaryFolder: string): DictionaryIndex {
  if (dictionaryIndexCache !== undefined) return dictionaryIndexCache;
  const { size, mtimeMs } = statSync(jieba.DEFAULT_DICT);
  const key = createHash('sha256').update(`${jieba.DEFAULT_DICT}\0${size}\0${mtimeMs}`).digest('hex').slice(0, 16);
  const path = join(temporaryFolder, `sou-jieba-index-${key}.bin`);
  try {
    const bytes = readFileSync(path);
    const newline = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.toString('utf8', 0, newline)) as { sum: number; min: number; median: number; points: number[]; starts: number[] };
    const body = newline + 1;
    const at = new Map(header.points.map((point, n) => [point, n]));
    if (body + header.starts[header.points.length]! !== bytes.length) throw new Error('cut short');
    dictionaryIndexCache = {
      sum: header.sum,
      min: header.min,
      median: header.median,
      group: (first) => {
        const n = at.get(first);
        return n === undefined ? undefined : bytes.toString('utf8', body + header.starts[n]!, body + header.starts[n + 1]!);
      },
    };
  } catch {
    const index = indexDictionary(readFileSync(jieba.DEFAULT_DICT, 'utf8'));
    const points = [...index.groups.keys()];
    const parts = points.map((point) => Buffer.from(index.groups.get(point)!, 'utf8'));
    const starts = [0];
    for (const part of parts) starts.push(starts[starts.length - 1]! + part.length);
    const header = JSON.stringify({ sum: index.sum, min: index.min, median: index.median, points, starts });
    const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temporary, Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), ...parts]));
      renameSync(temporary, path); // whole or not there, for the processes reading it at the same time
    } catch (error) {
      removeTemporary(temporary);
      if (!isUnwritableFolder(error)) throw error; // else not kept: the next process groups it again
    }
    dictionaryIndexCache = index;
  }
  return dictionaryIndexCache;
}

/**
 * Makes jieba ready to cut `texts` (folded, as cutWords gets them) and their pieces exactly as the whole
 * dictionary would: the whole dictionary when it is loaded already, else only the part of it they need, loaded
 * now. False when the texts are too long for a part, or when `temporaryFolder` cannot take the part's file (the
 * caller loads the whole dictionary, loadJiebaAsync).
 */
export function loadJiebaFor(userDict: string | null, texts: readonly string[], temporaryFolder = tmpdir()): boolean {
  if (alreadyLoaded(userDict, true)) return true;
  if (loading !== undefined) return false;
  // cppjieba reads a dictionary only from a file: the part is written to the temporary folder, opened first so
  // that a folder it cannot be written to costs no look-up (the whole dictionary, then).
  const path = join(temporaryFolder, `sou-jieba-part-${process.pid}-${randomBytes(4).toString('hex')}.txt`);
  let descriptor: number;
  try {
    descriptor = openSync(path, 'wx');
  } catch (error) {
    if (isUnwritableFolder(error)) return false;
    throw error;
  }
  try {
    try {
      const subset = dictionarySubset(dictionaryIndex(temporaryFolder), texts);
      if (subset === null) return false;
      try {
        writeFileSync(descriptor, subset);
      } catch (error) {
        if (isUnwritableFolder(error)) return false; // the folder filled up meanwhile
        throw error;
      }
    } finally {
      closeSync(descriptor);
    }
    const [, model, userDicts, idf, stopWords] = dictionaryPaths(userDict);
    binding.load(path, model, userDicts, idf, stopWords);
  } finally {
    removeTemporary(path); // read by the load
  }
  loadedUserDict = userDict;
  subsetFor = { texts: new Set(texts), joined: texts.join('\0') };
  return true;
}

/**
 * Whether a file system error says that a folder cannot take a new file (missing, not a folder, read-only, no
 * permission, full): what the temporary folder's parts and copies can meet without anything else being wrong.
 */
function isUnwritableFolder(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC' || code === 'EDQUOT';
}

/** Removes a file of the temporary folder when there is one (a folder that cannot be written may hold none). */
function removeTemporary(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch (error) {
    if (!isUnwritableFolder(error)) throw error;
  }
}

/** Which dictionary is loaded: for tests and measurements. */
export function jiebaDictionaryLoaded(): 'none' | 'part' | 'whole' {
  return loadedUserDict === undefined ? 'none' : subsetFor === undefined ? 'whole' : 'part';
}

/**
 * loadJieba on libuv's thread pool (about half a second): the calling thread goes on meanwhile, and segments
 * nothing until the promise resolves. A second call with the same dictionary shares the first one's load.
 */
export function loadJiebaAsync(userDict: string | null): Promise<void> {
  if (alreadyLoaded(userDict, true)) return Promise.resolve();
  if (loading !== undefined) return loading.done;
  if (binding.loadAsync === undefined) {
    throw new Error("sou: nodejieba's binding has no loadAsync: run npm install, whose postinstall step patches and recompiles it");
  }
  const done = binding.loadAsync(...dictionaryPaths(userDict)).then(
    () => {
      loadedUserDict = userDict;
      subsetFor = undefined;
      loading = undefined;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  loading = { userDict, done };
  return done;
}

/** The user dictionary's text; a clear error when it cannot be read (a build checks this before any work). */
export function readUserDictionary(userDict: string): string {
  try {
    return readFileSync(userDict, 'utf8');
  } catch (error) {
    throw new Error(`sou: cannot read the user dictionary ${userDict}: ${(error as Error).message}`);
  }
}

/**
 * jieba segments folded (Simplified, lower-case) text, so a user's words are folded the same way: a
 * Traditional entry such as 央觀君 must match the folded text 央观君. Returns the folded copy's path.
 */
function foldedDictionary(userDict: string): string {
  const folded = readUserDictionary(userDict)
    .split(/\r?\n/)
    .map((line) => {
      const [word, ...rest] = line.trim().split(/\s+/);
      return word ? [foldString(word), ...rest].join(' ') : '';
    })
    .join('\n');
  const path = join(tmpdir(), `sou-dict-${createHash('sha256').update(folded).digest('hex').slice(0, 16)}.txt`);
  try {
    writeFileSync(path, folded);
  } catch (error) {
    throw new Error(`sou: cannot write the folded copy of the user dictionary ${userDict} to the temporary folder ${tmpdir()} (set TMPDIR to a folder that can be written): ${(error as Error).message}`);
  }
  return path;
}

/** jieba's accurate mode with HMM on (HMM off splits CTO and 2135 into single characters). */
export function cutWords(text: string): string[] {
  // Before loadAsync has finished the binding has no handle, and nodejieba's cut() would crash the process.
  if (loadedUserDict === undefined) loadJieba(null);
  else if (subsetFor !== undefined && !subsetFor.texts.has(text) && (text.includes('\0') || !subsetFor.joined.includes(text))) loadWhole(loadedUserDict);
  return binding.cut(text, true);
}

/** Hash of every dictionary file that shapes segmentation, recorded in the index manifest. */
export function jiebaDictionaryHash(userDict: string | null): string {
  const hash = createHash('sha256');
  const files = [jieba.DEFAULT_DICT, jieba.DEFAULT_HMM_DICT, jieba.DEFAULT_USER_DICT];
  if (userDict !== null) files.push(userDict);
  for (const file of files) hash.update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** A word of jieba's own dictionary: how often it occurs there, and its part of speech (n, v, d, p, …). */
export interface DictionaryEntry {
  readonly frequency: number;
  readonly tag: string;
}

/**
 * The entries of jieba's own dictionary for the words that `wanted` accepts (words it lacks are absent): how
 * common each is in general Chinese, and its part of speech. The vocabulary orders words of the same paragraph
 * count by the frequency, weighs down the words no dictionary has when it ranks homophones (vocabulary.ts
 * `readingWeight`), and keeps function words (已经, 因为) out of phrases by the tag. The words of the user
 * dictionary jieba is loaded with count as dictionary words too (folded; its frequency, or 1 when the line
 * gives none). As steps (a yield every few thousand lines), for building between requests.
 */
export function* dictionaryEntriesInSteps(wanted: (word: string) => boolean): Generator<void, Map<string, DictionaryEntry>> {
  const entries = new Map<string, DictionaryEntry>();
  yield* readEntriesInSteps(readFileSync(jieba.DEFAULT_DICT, 'utf8'), wanted, entries, (word) => word, 0);
  // A word the user added is one the corpus is known to use, whether or not jieba's own dictionary has it.
  if (typeof loadedUserDict === 'string') yield* readEntriesInSteps(readUserDictionary(loadedUserDict), (word) => wanted(word) && !entries.has(word), entries, foldString, 1);
  return entries;
}

/** Lines `word [frequency] [tag]` into `entries` (a line without a positive frequency: `missingFrequency`, kept when above 0). */
function* readEntriesInSteps(
  text: string,
  wanted: (word: string) => boolean,
  entries: Map<string, DictionaryEntry>,
  normalize: (word: string) => string,
  missingFrequency: number,
): Generator<void> {
  let lines = 0;
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end).trim();
    const space = line.indexOf(' ');
    const word = normalize(space < 0 ? line : line.slice(0, space));
    if (word !== '' && wanted(word)) {
      const [frequency, tag] = space < 0 ? [] : line.slice(space + 1).trim().split(/\s+/);
      const parsed = Number.parseInt(frequency ?? '', 10);
      const count = parsed > 0 ? parsed : missingFrequency;
      if (count > 0) entries.set(word, { frequency: count, tag: tag ?? '' });
    }
    at = end + 1;
    if ((++lines & 8191) === 0) yield;
  }
}
