import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Tells a run that waits on a named pipe from a run that is merely slow, by the wait itself rather than by a clock:
 * Linux names where each thread sleeps (/proc/PID/task/TID/wchan), and a thread whose open() waits for the pipe's
 * other end (a writer for a reader, a reader for a writer) sleeps in fs/pipe.c's wait_for_partner (fifo_open, had the
 * compiler inlined it). Reading that disturbs nothing; a non-blocking open, which the CLI uses on its own files, never
 * sleeps there. A fixed kill after 20-30 s could not tell the two apart, and killed healthy runs on a loaded CI machine.
 * Where /proc is not (macOS), nothing is found: a run that waits is then ended by its test's time-out.
 */
const PIPE_OPEN_WAITS = new Set(['wait_for_partner', 'fifo_open']);

/** Whether a thread of process `pid` waits in open() for the other end of a named pipe. */
export function waitsOnPipe(pid: number): boolean {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return false; // ended, or no /proc
  }
  return threads.some((tid) => {
    try {
      return PIPE_OPEN_WAITS.has(readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8').trim());
    } catch {
      return false; // the thread ended
    }
  });
}

/**
 * Watches `child` until it ends: true (the child killed) as soon as it is found waiting on a named pipe, false once it
 * has ended by itself. Checked every 100 ms: a wait on a pipe nothing opens lasts for ever.
 */
export async function killedWaitingOnPipe(child: ChildProcess): Promise<boolean> {
  while (child.exitCode === null && child.signalCode === null) {
    if (child.pid !== undefined && waitsOnPipe(child.pid)) {
      child.kill('SIGKILL');
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}
