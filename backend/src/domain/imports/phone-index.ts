// Remembers, for each E.164 number seen in an import, the row that last carried it, so the
// last row wins and the earlier ones are counted as duplicates. Open addressing over typed
// arrays: an E.164 number (at most 15 digits) fits a double exactly, so a slot is 12 bytes and a
// million numbers take ~15–22 MB instead of the ~100 MB a Map of strings would. The table grows
// by half (any size, slots found by modulo) when 80% full: a doubling table kept at most half
// full needed up to 6 slots a number while it copied itself (72 bytes), this one 3.1 (37 bytes);
// of the import thread's memory, this table is the part that grows with the file (README, "Memory").

const MAX_LOAD = 0.8;
const GROWTH = 1.5;

export class PhoneIndex {
  private keys: Float64Array;
  private rows: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    const cap = Math.max(2, Math.ceil(initialCapacity));
    this.keys = new Float64Array(cap);
    this.rows = new Int32Array(cap);
  }

  /** Slots in the table (for tests and the memory figures). */
  get capacity(): number {
    return this.keys.length;
  }

  get size(): number {
    return this.count;
  }

  /** Records `row` for the number; returns the row it replaces, or -1 if the number is new. */
  set(e164: string, row: number): number {
    const key = Number(e164.charCodeAt(0) === 43 ? e164.slice(1) : e164);
    if (!(key > 0) || !Number.isSafeInteger(key)) throw new Error('PhoneIndex expects an E.164 number');
    let i = this.slot(key);
    for (;;) {
      const k = this.keys[i]!;
      if (k === 0) break;
      if (k === key) {
        const previous = this.rows[i]!;
        this.rows[i] = row;
        return previous;
      }
      i = i + 1 === this.keys.length ? 0 : i + 1;
    }
    this.keys[i] = key;
    this.rows[i] = row;
    if (++this.count > this.keys.length * MAX_LOAD) this.grow();
    return -1;
  }

  private slot(key: number): number {
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    // MurmurHash3's finaliser: numbers of one file often differ only in their last digits, and
    // linear probing at 80% load needs them spread evenly.
    let h = lo ^ Math.imul(hi, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0) % this.keys.length;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldRows = this.rows;
    const cap = Math.ceil(oldKeys.length * GROWTH);
    this.keys = new Float64Array(cap);
    this.rows = new Int32Array(cap);
    for (let j = 0; j < oldKeys.length; j++) {
      const key = oldKeys[j]!;
      if (key === 0) continue;
      let i = this.slot(key);
      while (this.keys[i] !== 0) i = i + 1 === cap ? 0 : i + 1;
      this.keys[i] = key;
      this.rows[i] = oldRows[j]!;
    }
  }
}
