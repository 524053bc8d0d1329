import { readFileSync } from 'node:fs';
import type MiniSearch from 'minisearch';

/**
 * What `/read` needs from a MiniSearch index, in flat typed arrays: per term and field the postings
 * (document as catalog position, term frequency), every document's field lengths, the average field
 * lengths and document count (exactly MiniSearch's numbers, so BM25+ comes out bit-identical), and the
 * terms in MiniSearch's own iteration order (prefix expansions must add up in that order).
 * MiniSearch stays the engine that builds the index; this is its read-only, compact form, saved and
 * loaded as one binary file (one readFileSync, typed-array views, no per-term Maps).
 */
export class CompactIndex {
  private constructor(
    readonly fieldCount: number,
    readonly documentCount: number,
    readonly avgFieldLength: Float64Array,
    /** [position * fieldCount + field]: the field's token count, as MiniSearch counts it. */
    readonly fieldLength: Int32Array,
    /** Terms in MiniSearch's iteration order (the index of a term is its number). */
    readonly terms: string[],
    /** Term numbers in code-unit order of the terms, for exact and prefix look-ups. */
    private readonly sorted: Int32Array,
    /** [term * fieldCount + field] .. +1: the term's postings range in that field. */
    readonly offsets: Int32Array,
    readonly docs: Int32Array,
    readonly tfs: Uint16Array,
  ) {}

  /**
   * Compile MiniSearch's index from its documented serialisation (`toJSON()`, serializationVersion 2:
   * the terms in the index's own iteration order, each with `{ fieldId: { shortId: tf } }`, plus
   * document ids, field lengths, average field lengths and the document count, the numbers MiniSearch
   * scores with). `positionOf` maps a document id to its catalog position.
   * @throws Error when the serialisation is another version, or a posting cannot be compacted.
   */
  static fromMiniSearch(
    index: MiniSearch<never> | MiniSearch<unknown>,
    positionOf: (id: string) => number,
    readings: number,
  ): CompactIndex {
    const m = index.toJSON();
    if (m.serializationVersion !== SERIALIZATION_VERSION)
      throw new Error(
        `MiniSearch serialisation version ${m.serializationVersion}, expected ${SERIALIZATION_VERSION}: ` +
          'pin minisearch to the version package.json names, or update compact-index.ts',
      );
    const F = Object.keys(m.fieldIds).length;
    const pos = new Int32Array(m.nextId + 1).fill(-1);
    for (const [short, id] of Object.entries(m.documentIds)) pos[Number(short)] = positionOf(String(id));
    const terms: string[] = [];
    let total = 0;
    for (const [term, data] of m.index) {
      terms.push(term);
      for (const freqs of Object.values(data)) total += Object.keys(freqs).length;
    }
    const offsets = new Int32Array(terms.length * F + 1);
    const docs = new Int32Array(total);
    const tfs = new Uint16Array(total);
    let p = 0;
    m.index.forEach(([, data], t) => {
      for (let f = 0; f < F; f++) {
        offsets[t * F + f] = p;
        const freqs = data[f];
        if (!freqs) continue;
        for (const [short, tf] of Object.entries(freqs)) {
          const at = pos[Number(short)] ?? -1;
          if (tf > 0xffff || at < 0) throw new Error(`cannot compact posting ${short}:${tf}`);
          docs[p] = at;
          tfs[p] = tf;
          p++;
        }
      }
    });
    offsets[terms.length * F] = p;
    const fieldLength = new Int32Array(readings * F);
    for (const [short, lengths] of Object.entries(m.fieldLength))
      for (let f = 0; f < F; f++) fieldLength[pos[Number(short)]! * F + f] = lengths[f] ?? 0;
    const sorted = Int32Array.from(terms.keys()).sort((a, b) =>
      terms[a]! < terms[b]! ? -1 : terms[a]! > terms[b]! ? 1 : 0,
    );
    return new CompactIndex(
      F,
      m.documentCount,
      Float64Array.from(m.averageFieldLength),
      fieldLength,
      terms,
      sorted,
      offsets,
      docs,
      tfs,
    );
  }

  /** The term's number, or -1. */
  lookup(term: string): number {
    const i = this.lowerBound(term);
    return i < this.sorted.length && this.terms[this.sorted[i]!] === term ? this.sorted[i]! : -1;
  }

  /** Numbers of the terms starting with `prefix` (itself included), in MiniSearch's `atPrefix` order. */
  withPrefix(prefix: string): number[] {
    const out: number[] = [];
    for (let i = this.lowerBound(prefix); i < this.sorted.length; i++) {
      const t = this.sorted[i]!;
      if (!this.terms[t]!.startsWith(prefix)) break;
      out.push(t);
    }
    // A prefix's terms are one subtree of MiniSearch's radix tree: iteration order is term order.
    return out.sort((a, b) => a - b);
  }

  private lowerBound(term: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.terms[this.sorted[mid]!]! < term) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** One binary file: magic, header length, JSON header (with `meta`), then 8-byte-aligned sections. */
  serialize(meta: Record<string, unknown>, words: string[], dfs: Int32Array): Buffer {
    const text = (s: string[]) => Buffer.from(s.join('\n'), 'utf8');
    const parts: Array<[string, Uint8Array]> = [
      ['avgFieldLength', bytes(this.avgFieldLength)],
      ['fieldLength', bytes(this.fieldLength)],
      ['sorted', bytes(this.sorted)],
      ['offsets', bytes(this.offsets)],
      ['docs', bytes(this.docs)],
      ['tfs', bytes(this.tfs)],
      ['dfs', bytes(dfs)],
      ['terms', text(this.terms)],
      ['words', text(words)],
    ];
    const sections: Record<string, [number, number]> = {};
    let at = 0;
    for (const [name, b] of parts) {
      sections[name] = [at, b.byteLength];
      at += Math.ceil(b.byteLength / 8) * 8;
    }
    const header = Buffer.from(
      JSON.stringify({ ...meta, fieldCount: this.fieldCount, documentCount: this.documentCount, sections }),
    );
    const start = Math.ceil((8 + header.length) / 8) * 8;
    const out = Buffer.alloc(start + at);
    out.write(MAGIC, 0, 'latin1');
    out.writeUInt32LE(header.length, 4);
    header.copy(out, 8);
    for (const [name, b] of parts) out.set(b, start + sections[name]![0]);
    return out;
  }

  /** Load a file `serialize` wrote; undefined unless `accept(meta)` says it is the right one. */
  static load(
    path: string,
    accept: (meta: Record<string, unknown>) => boolean,
  ): { index: CompactIndex; words: string[]; dfs: Int32Array } | undefined {
    let buf: Uint8Array = readFileSync(path);
    if (Buffer.from(buf.buffer, buf.byteOffset, 4).toString('latin1') !== MAGIC) return undefined;
    const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const headerLength = view.readUInt32LE(4);
    const header = JSON.parse(view.toString('utf8', 8, 8 + headerLength)) as Record<string, unknown> & {
      fieldCount: number;
      documentCount: number;
      sections: Record<string, [number, number]>;
    };
    if (!accept(header)) return undefined;
    if (buf.byteOffset % 8 !== 0) buf = new Uint8Array(buf); // typed-array views need alignment
    const start = Math.ceil((8 + headerLength) / 8) * 8;
    const section = <T>(
      name: string,
      Type: { new (b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number },
    ) => {
      const [o, n] = header.sections[name]!;
      return new Type(buf.buffer as ArrayBuffer, buf.byteOffset + start + o, n / Type.BYTES_PER_ELEMENT);
    };
    const text = (name: string) => {
      const [o, n] = header.sections[name]!;
      return n
        ? Buffer.from(buf.buffer, buf.byteOffset + start + o, n)
            .toString('utf8')
            .split('\n')
        : [];
    };
    const index = new CompactIndex(
      header.fieldCount,
      header.documentCount,
      section('avgFieldLength', Float64Array),
      section('fieldLength', Int32Array),
      text('terms'),
      section('sorted', Int32Array),
      section('offsets', Int32Array),
      section('docs', Int32Array),
      section('tfs', Uint16Array),
    );
    return { index, words: text('words'), dfs: section('dfs', Int32Array) };
  }
}

const MAGIC = 'QRIX';

/** The `toJSON()` layout this file reads (MiniSearch 7.x). */
const SERIALIZATION_VERSION = 2;

const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
