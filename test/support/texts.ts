// Every paragraph's original text of a loaded index, in id order (LoadedIndex.paragraphText reads one at a time).
import type { LoadedIndex } from '../../indexer/index/load.js';

export function allTexts(index: LoadedIndex): string[] {
  return Array.from({ length: index.paragraphCount }, (_, id) => index.paragraphText(id));
}
