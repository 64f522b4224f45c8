import type { Checkpoint, InputFileId } from './checkpoint.js';

/** The `fileId` an invalid one is read as (checkpoint.ts unknownFileId): no file has it, so the input is compared by its bytes. */
export const UNKNOWN_FILE_ID: InputFileId = { dev: 'unknown', ino: 'unknown' };

/** Whether a checkpoint's input `fileId` is the one an invalid one was read as (checkpoint.ts unknownFileId), not a file's. */
export function isUnknownFileId(fileId: InputFileId | undefined): boolean {
  return fileId !== undefined && fileId.dev === UNKNOWN_FILE_ID.dev && fileId.ino === UNKNOWN_FILE_ID.ino;
}

/**
 * The checkpoint as written: the unknown `fileId` is never put on disk (a run that found the input by its bytes writes
 * the file's own, record-found-input.ts). Copied as it was (a mend's `...checkpoint`), every later run read it as
 * unknown again, and paid a read of the consumed bytes, until one recorded the input afresh. Without it, the checkpoint
 * is one of a release before `fileId`: its input is the recorded file when its identity is (isRecordedFile).
 */
export function withoutUnknownFileId(checkpoint: Checkpoint): Checkpoint {
  if (!isUnknownFileId(checkpoint.input.fileId)) return checkpoint;
  const { fileId: _unknown, ...input } = checkpoint.input;
  return { ...checkpoint, input };
}
