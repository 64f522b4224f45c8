import { Transform, type TransformCallback } from 'node:stream';
import { InputError } from '../errors.js';

/**
 * Passes a file's bytes through and fails at their end when they stop short of the size the file had when it was
 * opened. A file rewritten in place with its own bytes while it is read (`cp -p` of the same export, `rsync --inplace
 * -t`) is short for a moment, then as it was, size, modification time, head and tail: a reader that met its end then
 * ended there as at the end of the input, and nothing after it could tell (input-unchanged.ts compares those). The job
 * then completed with the rows before that point, the last one cut mid-text and scored, exit 0.
 *
 * `start`: the offset the reader began at; `size`: the file's size when opened. A file that grows is read on as before
 * (the run's end check says it changed).
 */
export class ReadToSize extends Transform {
  #end: number;

  constructor(
    private readonly label: string,
    start: number,
    private readonly size: number,
  ) {
    super();
    this.#end = start;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#end += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#end >= this.size) {
      callback();
      return;
    }
    callback(
      new InputError(
        `the input ${this.label} changed while it was being read (its reader met its end at byte ${this.#end}, where it held ${this.size} bytes when opened: ` +
          'rewritten in place?): run the same command again once the file is final; rows written before it are kept if the bytes they came from are unchanged',
      ),
    );
  }
}
