const LIST = 16;
const SPACE = 4096;

/**
 * bzip2's move-to-front list of the 256 byte slots, kept as bzip2's own decoder keeps it: 16 lists of 16 in a
 * larger array, so moving the n-th entry to the front moves at most 15 entries plus one per list ahead of it
 * (incompressible data moves entries ~128 deep for every byte; a flat list made that the decoder's cost).
 */
export class MoveToFront {
  private readonly slots = new Uint8Array(SPACE);
  private readonly base = new Int32Array(256 / LIST);

  constructor() {
    this.compact(Uint8Array.from({ length: 256 }, (_, i) => i));
  }

  /** The entry at `index`, moved to the front. */
  take(index: number): number {
    const slots = this.slots;
    const base = this.base;
    if (index < LIST) {
      const at = base[0] ?? 0;
      const value = slots[at + index] ?? 0;
      for (let i = at + index; i > at; i--) slots[i] = slots[i - 1] ?? 0;
      slots[at] = value;
      return value;
    }
    let list = index >>> 4;
    let at = (base[list] ?? 0) + (index & 15);
    const value = slots[at] ?? 0;
    const start = base[list] ?? 0;
    for (; at > start; at--) slots[at] = slots[at - 1] ?? 0;
    base[list] = start + 1;
    // Each list ahead gives its last entry to the next one's front.
    for (; list > 0; list--) {
      const front = (base[list] ?? 0) - 1;
      base[list] = front;
      slots[front] = slots[(base[list - 1] ?? 0) + LIST - 1] ?? 0;
    }
    const front = (base[0] ?? 0) - 1;
    base[0] = front;
    slots[front] = value;
    if (front === 0) this.compact(this.order());
    return value;
  }

  /** The 256 entries in order. */
  private order(): Uint8Array {
    const out = new Uint8Array(256);
    for (let list = 0; list < 256 / LIST; list++) out.set(this.slots.subarray(this.base[list] ?? 0, (this.base[list] ?? 0) + LIST), list * LIST);
    return out;
  }

  /** Lays `order` out at the end of the space, leaving room to grow at the front. */
  private compact(order: Uint8Array): void {
    this.slots.set(order, SPACE - 256);
    for (let list = 0; list < 256 / LIST; list++) this.base[list] = SPACE - 256 + list * LIST;
  }
}
