import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createFresh } from '../state/no-follow.js';
import { MachineFaultError } from '../errors.js';
import { machineFaultOf } from '../machine-fault.js';
import type { FaultAdvice } from '../machine-fault-advice.js';
import type { StopController } from './stop.js';
import { kindOf } from '../wording/file-kind.js';
import { inContainer } from '../wording/in-container.js';
import { sayTerminalInput } from '../io/terminal-input.js';

/**
 * Copies standard input to a file next to the output, so a CSV header can be
 * read before the records and the rest of the job works on a file. Such runs
 * are not resumable: the next run's standard input is a different stream.
 * The copy is created anew, never through a symlink planted at its path.
 *
 * A copy that fails (a full disk) is removed, not left beside the output filling
 * the disk, and its error names it (a write stream's error has no path: the line
 * said "the device holding a file"). `stop`: a signal while the copy waits for a
 * producer still writing (`export | sentiment-batch score -`) ends it there, as a
 * signal during the rest of the setup does (setup-stop.ts); it used to wait for
 * the end of the input. Standard input a terminal is said before the wait (terminal-input.ts).
 */
export async function spoolStdin(file: string, stop?: StopController, input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const handle = await createFresh(file);
  sayTerminalInput(input);
  try {
    await pipeline(input, handle.createWriteStream(), ...(stop ? [{ signal: stop.waitingSignal }] : []));
  } catch (error) {
    await rm(file, { force: true });
    stop?.throwIfInterrupted();
    // A write refused is the copy's (a read refused is standard input's, which has no path to name).
    const refused = error as NodeJS.ErrnoException;
    if (refused.syscall === 'write' && refused.path === undefined) refused.path = file;
    throw error;
  }
  return file;
}

/**
 * Runs `score` on a copy of standard input, removed afterwards: in a folder of its own under the temp folder for
 * `-o -` (`output` undefined: no folder of the job's to keep it in), else beside the output.
 */
export async function withStdinCopy<T>(output: string | undefined, stop: StopController, score: (file: string) => Promise<T>): Promise<T> {
  // In the temp folder a fault is TMPDIR's to mend, not -o's (which moves nothing of it); beside the output, -o's.
  if (output === undefined) return withTempStdinCopy('sentiment-batch-stdin-', tempCopyAdvice('a file is read where it is, with no copy'), score, stop);
  const spooled = await spoolStdin(`${output}.stdin`, stop);
  try {
    return await score(spooled);
  } finally {
    await rm(spooled, { force: true });
  }
}

/**
 * Runs `use` on a copy of standard input in a folder of its own under the temp folder (named from `prefix`), removed
 * afterwards with the folder: `score - -o -` and `estimate -`. A fault making either is the temp folder's (`advice`).
 */
export async function withTempStdinCopy<T>(prefix: string, advice: TempCopyAdvice, use: (file: string) => Promise<T>, stop?: StopController): Promise<T> {
  const inTemp = (error: unknown): never => {
    throw tempFolderFault(error, advice);
  };
  const dir = await mkdtemp(path.join(tmpdir(), prefix)).catch(inTemp);
  try {
    return await use(await spoolStdin(path.join(dir, 'stdin'), stop).catch(inTemp));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A fault making a copy of standard input in the temp folder (`score - -o -`, `estimate -`): mended by room or access
 * there, another temp folder (TMPDIR), or the input's file named instead of '-', which needs no copy (`instead` says
 * what the command then does). The default line said "write elsewhere (-o)", which moves nothing of that copy.
 */
/**
 * What a fault making standard input's copy advises. `missing`: for a temp folder that is not there or not a folder
 * (TMPDIR mistyped), where a writable mount at /tmp is no remedy (the container's line offered one for TMPDIR=/typo).
 */
export interface TempCopyAdvice extends FaultAdvice {
  missing?: string;
}

export function tempCopyAdvice(instead: string, container: boolean = inContainer()): TempCopyAdvice {
  const again = `then run the same command again, or name the input's file instead of - (${instead})`;
  // `docker run --read-only` leaves /tmp unwritable: what mends it there is a writable mount (docs/container.md).
  const mount = container ? '; in a container with a read-only root filesystem, give it a writable /tmp: docker run --tmpfs /tmp (Kubernetes: an emptyDir volume at /tmp)' : '';
  return { flag: 'TMPDIR', again: again + mount, missing: again };
}

/**
 * The fault of making the temp folder that holds standard input's copy. TMPDIR naming a folder that does not exist
 * (a typo, a folder of a container that is not there) said `mkdtemp /nonexistent/t/sentiment-batch-stdin-… failed: no
 * such file or directory (ENOENT); check that path and the machine`, naming neither TMPDIR nor what to do.
 */
export function tempFolderFault(error: unknown, advice: TempCopyAdvice): unknown {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (syscall === 'mkdtemp' && (code === 'ENOENT' || code === 'ENOTDIR')) {
    const named = process.env.TMPDIR ? `TMPDIR=${process.env.TMPDIR}` : 'the temp folder';
    // A mount at /tmp makes /tmp (an image without one): it is no remedy only for a temp folder elsewhere (TMPDIR mistyped).
    const then = tmpdir() === '/tmp' ? advice.again : (advice.missing ?? advice.again);
    // ENOTDIR: the temp folder is itself a file (TMPDIR=/etc/passwd), or a file is among the folders above it.
    const kind = code === 'ENOTDIR' ? kindOfTempFolder() : undefined;
    if (kind !== undefined) {
      return new MachineFaultError(code, `${named}: the temp folder ${tmpdir()} is ${kind}, not a folder, so standard input cannot be copied there: point TMPDIR at a folder, ${then}`, { cause: error });
    }
    return new MachineFaultError(code, `${named}: the temp folder ${tmpdir()} ${code === 'ENOENT' ? 'does not exist' : 'passes through a file'}, so standard input cannot be copied there: create it or point TMPDIR at a folder that exists, ${then}`, { cause: error });
  }
  return machineFaultOf(error, advice) ?? error;
}

/** What the temp folder is when it is there and no folder ("a regular file"); undefined otherwise. */
function kindOfTempFolder(): string | undefined {
  try {
    const stats = statSync(tmpdir());
    return stats.isDirectory() ? undefined : kindOf(stats);
  } catch {
    return undefined;
  }
}
