/**
 * What a process exiting at once on a signal (signals.ts: before a job's handler is in place, or a second signal)
 * removes first: files that live for milliseconds and that no later run could tell from another host's work in
 * progress (output-lock.ts's lock folder being built). Synchronous and quick: the exit does not wait.
 */
const cleanups = new Set<() => void>();

/** Runs `cleanup` if the process exits at once before the returned function is called. */
export function onExitNow(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

/** Called by signals.ts just before it exits. */
export function runExitCleanups(): void {
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // exiting now matters more
    }
  }
  cleanups.clear();
}
