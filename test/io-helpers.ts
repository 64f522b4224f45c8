// Shared helpers of the test/io-*.test.ts suites (not a suite itself).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { openInput } from '../src/io/open-input.js';
import { readCsvHeader, readCsvRecords, type CsvHeader } from '../src/io/csv-reader.js';
import type { InputRecord } from '../src/io/record.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const fixture = (name: string): string => path.join(repoRoot, 'fixtures/io', name);
export const sharedDir = path.resolve(repoRoot, '../shared');

/** A temporary directory removed by the returned cleanup. */
export function tempDir(): { dir: string; file: (name: string, content: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-io-'));
  return {
    dir,
    file: (name, content) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function collect<T>(records: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const record of records) all.push(record);
  return all;
}

export interface CsvRead {
  header: CsvHeader;
  records: InputRecord[];
}

/** Reads a CSV file the way the pipeline does: header, then records from `startOffset`. */
export async function readCsvFile(
  file: string,
  options: { delimiter?: string; textColumn: string; gzip?: boolean; startOffset?: number; startIndex?: number; onFields?: (fields: readonly string[]) => void },
): Promise<CsvRead> {
  const delimiter = options.delimiter ?? ',';
  const gzip = options.gzip ?? false;
  const header = await readCsvHeader(file, { gzip, delimiter });
  const startOffset = options.startOffset ?? header.byteEnd;
  const records = await collect(
    readCsvRecords(openInput(file, { gzip, startOffset }), {
      delimiter,
      header,
      textColumn: options.textColumn,
      startOffset,
      startIndex: options.startIndex ?? 0,
      ...(options.onFields ? { onFields: options.onFields } : {}),
    }),
  );
  return { header, records };
}

/** The bytes a header and its records claim to have come from. */
export function reassemble(header: CsvHeader, records: InputRecord[]): Buffer {
  return Buffer.concat([
    Buffer.from(header.bom ? '\uFEFF' : ''),
    Buffer.from(header.raw),
    ...records.map((record) => Buffer.from(record.raw)),
  ]);
}

/**
 * Checks every record against the original bytes: byteEnds strictly increase,
 * and the slice between consecutive byteEnds is exactly the record's raw text.
 * Returns a list of problems (empty when all is well) so a failure says which record.
 */
export function sliceProblems(original: Buffer, firstStart: number, records: InputRecord[]): string[] {
  const problems: string[] = [];
  let start = firstStart;
  for (const record of records) {
    if (record.byteEnd <= start) problems.push(`record ${record.index}: byteEnd ${record.byteEnd} <= start ${start}`);
    const slice = original.subarray(start, record.byteEnd);
    if (!slice.equals(Buffer.from(record.raw))) {
      problems.push(`record ${record.index}: slice [${start}, ${record.byteEnd}) ${JSON.stringify(slice.toString().slice(0, 80))} != raw ${JSON.stringify(record.raw.slice(0, 80))}`);
    }
    start = record.byteEnd;
    if (problems.length > 5) break;
  }
  return problems;
}

/**
 * A byte stream that delivers `bytes` in chunks of `size`, one per event-loop turn,
 * so consumers really see each boundary (a Readable over a ready array would let
 * a reader receive several chunks concatenated).
 */
export function trickle(bytes: Buffer, size: number): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let at = 0; at < bytes.length; at += size) {
      await new Promise((resolve) => setImmediate(resolve));
      yield bytes.subarray(at, at + size);
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
