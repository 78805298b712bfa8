// Which paths of the file system watch mode looks at, and which of their changes can change the index: the
// same files the corpus listing reads (reader.ts listCorpusFiles), so that editors' swap files, dot-folders
// and the index folder's own writes start no build.
import path from 'node:path';
import { FORMAT_OF_EXTENSION } from '../corpus/formats/index.js';
import type { ChangeKind } from './coalesce.js';

export interface WatchPlan {
  /** The paths given to the watcher: each folder input, and the folder of each single-file input. */
  readonly roots: readonly string[];
  /** Whether the watcher should look at this path at all (false: not even descend into it). */
  isWatched(absolutePath: string): boolean;
  /** Whether a change of this kind at this path may change the index. */
  matters(absolutePath: string, what: ChangeKind): boolean;
}

export interface CorpusInput {
  /** As given; resolved against the working directory. */
  readonly path: string;
  readonly isFolder: boolean;
}

/** `relative` is inside (or is) the folder, and no part of it is a dot-name (the listing skips those). */
function isListedUnder(relative: string): boolean {
  if (relative === '') return true;
  if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
  return relative.split(path.sep).every((part) => !part.startsWith('.'));
}

const isInside = (folder: string, target: string): boolean => {
  const relative = path.relative(folder, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

const hasReadExtension = (file: string): boolean => FORMAT_OF_EXTENSION.has(path.extname(file).slice(1).toLowerCase());

/** The plan for these corpus inputs; nothing under `indexDir` (the build's output) is watched. */
export function watchPlan(inputs: readonly CorpusInput[], indexDir: string): WatchPlan {
  const index = path.resolve(indexDir);
  const folders = inputs.filter((input) => input.isFolder).map((input) => path.resolve(input.path));
  const files = inputs.filter((input) => !input.isFolder).map((input) => path.resolve(input.path));
  // A single file is watched through its folder: an editor that saves by renaming a new file over it replaces
  // the very inode a watch on the file itself would hold.
  const fileFolders = [...new Set(files.map((file) => path.dirname(file)))];
  const roots = [...new Set([...folders, ...fileFolders])];
  const inFolderInput = (target: string): boolean => folders.some((folder) => isListedUnder(path.relative(folder, target)));
  const isWatched = (target: string): boolean => {
    const absolute = path.resolve(target);
    if (isInside(index, absolute)) return false;
    return roots.includes(absolute) || inFolderInput(absolute) || files.includes(absolute);
  };
  return {
    roots,
    isWatched,
    matters(target, what) {
      const absolute = path.resolve(target);
      if (!isWatched(absolute)) return false;
      if (files.includes(absolute)) return true;
      // A folder that appears or goes may hold files; a file counts when the listing would read its type.
      return inFolderInput(absolute) && (what === 'folder' || hasReadExtension(absolute));
    },
  };
}
