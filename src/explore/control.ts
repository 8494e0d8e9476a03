// Progress and cancellation, handled one way for every strategy. A run is told how to report
// progress (a callback) and how it may be stopped (an AbortSignal-like `signal`, a time limit, and
// a `shouldStop` hook for what the caller watches itself, such as memory); each strategy asks
// `stopReasonOf` at its polling points and ends inconclusive with the reason it returns. No clock
// of its own: `now` is injected. Ctrl-C is the command line's business: it aborts the signal.

/** What `AbortSignal` offers and a run needs: a real AbortSignal fits. */
export interface CancelSignal {
  readonly aborted: boolean;
  /** Why it was aborted; a string is used as the inconclusive reason as it is. */
  readonly reason?: unknown;
}

/** The controls every strategy takes, exhaustive or simulated; `P` is the progress it reports. */
export interface RunControl<P> {
  /** Injected clock (ms); the engine reads no clock of its own. */
  readonly now?: () => number;
  /** Told from time to time how far the run got. */
  readonly onProgress?: (progress: P) => void;
  /** Once aborted, the run stops at its next polling point, inconclusive, with what it found so far. */
  readonly signal?: CancelSignal;
  /** Stop (inconclusive) after this many milliseconds of the injected clock. */
  readonly timeLimitMs?: number;
  /** Called at every polling point; a reason stops the run as inconclusive (interrupt, memory). */
  readonly shouldStop?: () => string | null;
}

/** The inconclusive reason of an aborted signal. */
export function cancelReasonOf(signal: CancelSignal): string {
  const reason = signal.reason;
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return `cancelled: ${reason.message}`;
  return 'cancelled';
}

/** The reason to stop now (a cancellation, a stop request, the time limit), or null. */
export function stopReasonOf(control: Omit<RunControl<never>, 'onProgress'>, started: number): () => string | null {
  const now = control.now ?? (() => 0);
  const { signal, timeLimitMs, shouldStop } = control;
  return () => {
    if (signal?.aborted) return cancelReasonOf(signal);
    const requested = shouldStop?.() ?? null;
    if (requested) return requested;
    if (timeLimitMs !== undefined && now() - started > timeLimitMs) return `time limit ${timeLimitMs} ms reached`;
    return null;
  };
}
