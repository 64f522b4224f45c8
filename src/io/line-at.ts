import type { Readable } from 'node:stream';

/**
 * The line a byte of the input is on (1-based): 1 plus the line breaks before it, a CRLF counting once, as the CSV
 * reader numbers lines (csv-dialect.ts's countLineBreaks). For a reader that started past the header (a resumed run,
 * a checkpoint's proof) and so does not know its line numbers, when a message of a row must name them: the same row
 * then gets the same words as in a run that read it from the start, so the output is the same to the byte.
 * `stream` carries the (decompressed) input from its first byte; it is read up to `byte` and closed.
 */
export async function lineAt(stream: Readable, byte: number): Promise<number> {
  let line = 1;
  let seen = 0;
  /** The byte before this chunk was a CR: an LF opening this chunk ends the same line. */
  let afterCr = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const end = Math.min(chunk.length, byte - seen);
      for (let i = 0; i < end; i++) {
        const c = chunk[i];
        if (c === 0x0a) {
          if (!afterCr) line++;
          afterCr = false;
        } else if (c === 0x0d) {
          line++;
          afterCr = true;
        } else {
          afterCr = false;
        }
      }
      seen += end;
      if (seen >= byte) break;
    }
  } finally {
    stream.destroy();
  }
  return line;
}
