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
  /**
   * The same bytes for a caller that is done with them before it reads again (decoding a posting list, a text):
   * from a file, they are read into one buffer that every source reuses, so that the reads of every query do not
   * leave freed buffers behind in the allocator (they kept tens of megabytes of RSS that no object held).
   */
  peek(offset: number, length: number): Uint8Array;
}

/** A file already in memory. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    length: bytes.length,
    read(offset, length) {
      if (offset < 0 || length < 0 || offset + length > bytes.length) throw new Error('read past the end of the file');
      return bytes.subarray(offset, offset + length);
    },
    peek(offset, length) {
      return this.read(offset, length);
    },
  };
}

/** Reads larger than this get a buffer of their own (a block of a common character's postings, a whole table). */
const SHARED_READ_BYTES = 1 << 20;
/** The buffer peek() reads into, grown as needed up to SHARED_READ_BYTES; reads are synchronous, so one is enough. */
let shared = Buffer.allocUnsafeSlow(64 << 10);

function readInto(fd: number, out: Buffer, count: number, offset: number): void {
  let filled = 0;
  while (filled < count) {
    const read = readSync(fd, out, filled, count - filled, offset + filled);
    if (read === 0) throw new Error('the file is shorter than when it was opened');
    filled += read;
  }
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
      const out = Buffer.allocUnsafeSlow(count);
      readInto(fd, out, count, offset);
      return out;
    },
    peek(offset, count) {
      if (count > SHARED_READ_BYTES) return this.read(offset, count);
      if (offset < 0 || count < 0 || offset + count > length) throw new Error('read past the end of the file');
      if (count > shared.length) shared = Buffer.allocUnsafeSlow(Math.min(SHARED_READ_BYTES, Math.max(count, 2 * shared.length)));
      readInto(fd, shared, count, offset);
      return shared.subarray(0, count);
    },
  };
  closeWhenCollected.register(source, fd);
  return source;
}
