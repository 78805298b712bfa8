// Typed arrays a query's ranking works in, kept from query to query in the searcher's scratch (rank-scratch.ts).
// A query's exact pass needs a few dozen small ones (the term automaton, per-term counts, per-candidate scores);
// allocating each of them per query cost more than the lookups made in them (docs/design.md, "scratch").

export interface ReusedArrays {
  /** A zeroed array of `length`, valid until the same `key` is taken again (the next query, or a later step). */
  int32(key: string, length: number): Int32Array;
  uint32(key: string, length: number): Uint32Array;
  float64(key: string, length: number): Float64Array;
  uint16(key: string, length: number): Uint16Array;
  uint8(key: string, length: number): Uint8Array;
}

type Typed = Int32Array | Uint32Array | Float64Array | Uint16Array | Uint8Array;

function taker<T extends Typed>(make: (length: number) => T): (key: string, length: number) => T {
  const held = new Map<string, T>();
  return (key, length) => {
    let buffer = held.get(key);
    if (buffer === undefined || buffer.length < length) {
      buffer = make(Math.max(length, 2 * (buffer?.length ?? 8)));
      held.set(key, buffer);
    }
    const view = buffer.subarray(0, length) as T; // a view of the same kind: subarray keeps the element type
    view.fill(0);
    return view;
  };
}

export function createReusedArrays(): ReusedArrays {
  return {
    int32: taker((length) => new Int32Array(length)),
    uint32: taker((length) => new Uint32Array(length)),
    float64: taker((length) => new Float64Array(length)),
    uint16: taker((length) => new Uint16Array(length)),
    uint8: taker((length) => new Uint8Array(length)),
  };
}
