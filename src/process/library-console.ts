import { format } from 'node:util';
import type { Logger } from '../log.js';

/**
 * Some libraries write to the console themselves: ioredis says "[WARN] This
 * Redis server's `default` user does not require a password, but a password
 * was supplied" with console.warn. On standard error that is a line of its
 * own among the log's JSON lines, which a log collector cannot read (and
 * which --log-format pretty does not format). For the length of a run, the
 * console's warn and error become lines of the run's log, at the same level,
 * marked as a library's; the library's own "[WARN] " tag is dropped (the
 * level says it). A line said again is logged once: ioredis says that
 * warning on each connection, and the shared limiter opens two (docs/shared-limit.md
 * promises "a warn line"). Returns what puts the console back.
 */
export function routeLibraryConsole(log: Logger): () => void {
  const { warn, error } = console;
  const said = new Set<string>();
  const once = (level: 'warn' | 'error', parts: unknown[]): void => {
    const line = untagged(format(...parts));
    if (said.has(`${level} ${line}`)) return;
    said.add(`${level} ${line}`);
    log[level]({ from: 'library' }, line);
  };
  console.warn = (...parts: unknown[]) => once('warn', parts);
  console.error = (...parts: unknown[]) => {
    if (!isLmdbCommitError(parts)) once('error', parts);
  };
  return () => {
    console.warn = warn;
    console.error = error;
  };
}

function untagged(line: string): string {
  return line.replace(/^\[(WARN|ERROR)\]\s*/, '');
}

/**
 * lmdb's own line of a failed commit: write.js logs the error (its stack trace, `code: 5`) before rejecting the commit
 * with it. It was an ERROR line just above the result cache's warning, which says that reason in the fault lines'
 * words (state/cache-commit-fault.ts), as does a store's flush that throws it.
 */
function isLmdbCommitError(parts: readonly unknown[]): boolean {
  const [first] = parts;
  return parts.length === 1 && first instanceof Error && /[\\/]lmdb[\\/]write\.js:\d+/.test(first.stack?.split('\n')[1] ?? '');
}
