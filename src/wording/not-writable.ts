import { inContainer } from './in-container.js';
import { emptyMountHolding } from '../io/empty-mount-input.js';

/**
 * Who may not write a folder, and what to do about it. A permission error names
 * the user the job runs as (by uid: a container's user has no name on the host),
 * so the operator knows whom to give the folder to. The image runs as `node`,
 * uid 1000 (Dockerfile, docs/container.md): there the folder is usually a bind
 * mount owned by someone else on the host, and the fix is on the host.
 */

/** The image's user (Dockerfile: USER node). */
export const IMAGE_UID = 1000;

/**
 * "is not writable by … : <what to do>", after "the folder X". `flag` is the one that writes
 * elsewhere (-o, --report...); undefined when the files must stay where they are (machine-fault.ts keepPath). Without
 * a uid (Windows) the user is "this user".
 */
export function notWritableBy(folder: string, flag: string | undefined, uid: number | undefined = process.getuid?.(), where: { container?: boolean; mountinfo?: string | null } = {}): string {
  const elsewhere = flag === undefined ? '' : ` or write elsewhere (${flag})`;
  if (uid === undefined) return `is not writable by this user: give this user access${elsewhere}`;
  if (uid === IMAGE_UID && (where.container ?? inContainer())) {
    // Docker makes a host path given to -v that does not exist, as root's empty folder: chown-ing it, as the line said,
    // gave the wrong folder to the job, which then found no export in it.
    const point = emptyMountHolding(folder, where.mountinfo);
    const empty = point === undefined ? ': on the host' : `, and holds no file at all: if the -v for ${point} names a host folder that does not exist, docker made it, empty and root's: check that path first. Else on the host`;
    return (
      `is not writable by uid ${IMAGE_UID}, the user this container runs as (node; docs/container.md)${empty}, chown -R 1000:1000 ` +
      `the folder mounted there, or run the container as the folder's owner (--user "$(id -u):$(id -g)")${flag === undefined ? '' : `, or write elsewhere (${flag})`}`
    );
  }
  return `is not writable by the user this job runs as (uid ${uid}): make it writable by that user (chown ${uid} ${folder}, or chmod)${flag === undefined ? ', or run as its owner' : `, run as its owner, or write elsewhere (${flag})`}`;
}
