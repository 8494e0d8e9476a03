// A spilled batch read back, viewed where it lies: each state's words and sleep set are subarrays
// of the batch (in spill.ts's format: per state its length, its words, its sleep set's length, its
// keys), so reading a batch back copies no words and holds one offset a state beside them.
import { grown } from '../util/grow.ts';
import type { SleepView } from './sleep-sets.ts';

export class BatchView {
  private words: Uint32Array = new Uint32Array(0);
  /** Where each state's words start in `words` (its length is the word before). */
  private starts = new Uint32Array(1 << 10);
  private count = 0;
  private readonly shown: SleepView = { keys: this.words, start: 0, count: 0 };

  get length(): number {
    return this.count;
  }

  /** View `words`, a whole batch, from now on (the views handed out before are left as they were). */
  load(words: Uint32Array): void {
    this.words = words;
    this.count = 0;
    for (let at = 0; at < words.length; ) {
      if (this.count === this.starts.length) this.starts = grown(this.starts);
      this.starts[this.count++] = at + 1;
      at += 1 + words[at];
      at += 1 + words[at];
    }
  }

  /** State `index`'s words: a view into the batch, valid until the next `load`. */
  get(index: number): Uint32Array {
    const start = this.starts[index];
    return this.words.subarray(start, start + this.words[start - 1]);
  }

  /** State `index`'s sleep set (a reused view, read it before asking for the next). */
  view(index: number): SleepView {
    const start = this.starts[index];
    const lengthAt = start + this.words[start - 1];
    const v = this.shown;
    v.keys = this.words;
    v.start = lengthAt + 1;
    v.count = this.words[lengthAt];
    return v;
  }

  /** Bytes held: the batch's words and the offsets. */
  bytes(): number {
    return this.words.byteLength + this.starts.byteLength;
  }

  /** Let go of the batch (its words are garbage once no view of them is held). */
  clear(): void {
    this.words = new Uint32Array(0);
    this.count = 0;
  }
}
