import path from 'node:path';
import { ConfigError } from '../errors.js';

/**
 * The folder of a job file that comes through a pipe: `run <(envsubst < job.json)` names /dev/fd/63 (or
 * /proc/self/fd/63), and `run /dev/stdin < job.json` names /dev. Those folders hold a process's descriptors, not
 * the template's files, so a relative path resolved there named a file nobody meant: the run ended exit 74 saying
 * the folder /dev/fd/out "was removed while the command ran; run the same command again", which failed again.
 */
const DESCRIPTOR_FOLDER = /^\/(?:dev(?:\/fd)?|proc\/(?:self|thread-self|\d+)(?:\/task\/\d+)?\/fd)$/;

/** Refuses (exit 2) a relative path given by a job file that comes through a pipe, which has no folder for it. */
export function refuseRelativeInPipedJobFile(jobFolder: string, name: string, value: string): void {
  if (path.isAbsolute(value) || !DESCRIPTOR_FOLDER.test(jobFolder)) return;
  throw new ConfigError(
    `${name} '${value}' is a relative path, but the job file comes through a pipe, which has no folder for it to be relative to: ` +
      'give the full path in the job file, or write the job file to a folder first (envsubst < job.json > tonight.json), ' +
      'where its relative paths are relative to that folder',
  );
}
