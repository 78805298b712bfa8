// Where a decoder reads a file's bytes: from memory (a whole file read at once: builds, merges, tests) or from
// an open file, a read at an offset each time (the server: the operating system's page cache is the cache of
// the index, as in Lucene, and what a query never asks for is never in the process). Both answer the same
// bytes, so the decoders have one code path for both.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ByteSource {
  /** The file's size in bytes. */
  readonly length: number;
  /**
   * Bytes [offset, offset + length). From memory, a view of the file's bytes; from a file, fresh bytes. Either
   * way the caller reads them at once and keeps nothing of them (a view would pin the whole file's buffer).
   */
  read(offset: number, length: number): Uint8Array;
}

/** A file already in memory. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    length: bytes.length,
    read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > bytes.length) throw new Error('read past the end of the file');
      return bytes.subarray(offset, offset + length);
    },
  };
}

/** An open file read at offsets; its descriptor is closed when the source is garbage-collected. */
export interface FileSource extends ByteSource {
  readonly fd: number;
}

const closeWhenCollected = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

/**
 * Opens `path` for reads at offsets. The descriptor stays open as long as the source can be read (it is closed
 * once nothing refers to the source, so it is never read after being closed): a build that removes the file's
 * folder (a merged segment) leaves the open file readable, so an index being served keeps working.
 */
export function openFileSource(path: string): FileSource {
  const fd = openSync(path, 'r');
  let length: number;
  try {
    length = fstatSync(fd).size;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  const source: FileSource = {
    fd,
    length,
    read(offset, count) {
      if (offset < 0 || count < 0 || offset + count > length) throw new Error('read past the end of the file');
      const out = Buffer.allocUnsafe(count);
      let filled = 0;
      while (filled < count) {
        const read = readSync(fd, out, filled, count - filled, offset + filled);
        if (read === 0) throw new Error('the file is shorter than when it was opened');
        filled += read;
      }
      return out;
    },
  };
  closeWhenCollected.register(source, fd);
  return source;
}
