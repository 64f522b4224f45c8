import { statSync } from 'node:fs';
import { readGivenTextSync } from '../paths/read-given-text.js';

/**
 * The texts of job files that are not regular files, by the path given: a pipe (`run <(envsubst < job.json)`) gives its
 * text once, and the command reads the job file more than once: for its settings, and again when they are refused, for
 * the "summaryJson" to replace and the "logFormat" of the closing line. Read again, the pipe gave nothing: a refused
 * job left last night's summary ("done", exit 0) as tonight's, and its line plain. A regular file is read afresh each
 * time, as before.
 */
const piped = new Map<string, string>();

/** The job file's text (readGivenTextSync), kept for the process when the file is a pipe or a device. */
export function jobFileText(file: string): string {
  const kept = piped.get(file);
  if (kept !== undefined) return kept;
  const text = readGivenTextSync(file);
  if (!isRegularFile(file)) piped.set(file, text);
  return text;
}

/** The text of a piped job file the command has read already, else undefined (a pipe must not be read before the command reads it). */
export function pipedJobFileTextRead(file: string): string | undefined {
  return piped.get(file);
}

function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
