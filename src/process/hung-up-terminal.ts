import { closeSync, openSync, readlinkSync } from 'node:fs';
import { isatty } from 'node:tty';

/**
 * A terminal that went away under a run (its window closed, an SSH session dropped) sends SIGHUP, which signals.ts
 * turns into a stop with its checkpoint saved and exit 130. But Node 20, as it exits, restores every standard stream
 * that was a terminal at its start (tcsetattr), and a hung-up terminal refuses that with EIO, which Node 20 takes for
 * a broken invariant: it aborted, and the abort ended the process with a segmentation fault (exit 139, a core dump)
 * after a stop that had saved everything (Node 24 ignores the error: nodejs/node#58200).
 *
 * A hung-up terminal answers no terminal request (isatty is false), where one still there does. As the process exits,
 * each standard stream that was a terminal at start (or is open on a terminal's device) and is none now is replaced by /dev/null: Node skips a stream that
 * is not the file it was at start. A terminal still there is left to Node to restore, as before.
 */
const terminalsAtStart = [0, 1, 2].filter((fd) => isatty(fd));

/**
 * Whether standard stream `fd` was a terminal at start that has hung up since: a write there fails with EIO, as one
 * to a pipe whose reader went away fails with EPIPE, and neither is a fault of the machine (standard-streams.ts).
 */
export function terminalHungUp(fd: number): boolean {
  return !isatty(fd) && (terminalsAtStart.includes(fd) || onTerminalDevice(fd));
}

/**
 * Whether `fd` is open on a terminal's device (a pseudo-terminal, a console): one that answers no terminal request has
 * hung up. For a hang-up before this module loaded (the first ~0.2 s of a run, Node already started): the list taken
 * at load missed it, and Node 20 crashed at exit as before (a pseudo-terminal closed 200 ms in: -11, -11, -6). Linux
 * names the descriptor's file in /proc; elsewhere, or unreadable, the list alone.
 */
function onTerminalDevice(fd: number): boolean {
  try {
    return /^\/dev\/(pts\/|tty|console)/.test(readlinkSync(`/proc/self/fd/${fd}`));
  } catch {
    return false;
  }
}

/**
 * Puts /dev/null in place of the standard streams whose terminal hung up (closed, then opened again: the lowest free
 * descriptor is the one just closed), so that Node's exit does not try to restore them, and a write still made on the
 * way out goes nowhere rather than into a file opened meanwhile.
 */
function closeHungUpTerminals(): void {
  for (const fd of [0, 1, 2]) {
    if (!terminalHungUp(fd)) continue;
    try {
      closeSync(fd);
      const again = openSync('/dev/null', 'r+');
      if (again !== fd) closeSync(again);
    } catch {
      // Closed already, or no /dev/null: a closed descriptor Node skips too.
    }
  }
}

process.on('exit', closeHungUpTerminals);
