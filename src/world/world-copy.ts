// A copy of the last world something worked on, to tell whether a world handed in again (often
// the same reused buffer, rewritten) still holds the same words. The copy's buffer is reused.
export class WorldCopy {
  private words = new Uint32Array(64);
  private length = -1;

  /** Whether `w` holds the words kept last. */
  matches(w: Uint32Array): boolean {
    if (w.length !== this.length) return false;
    for (let i = 0; i < w.length; i++) if (w[i] !== this.words[i]) return false;
    return true;
  }

  /** Keep `w`'s words. */
  keep(w: Uint32Array): void {
    if (this.words.length < w.length) this.words = new Uint32Array(2 * w.length);
    this.words.set(w);
    this.length = w.length;
  }
}
