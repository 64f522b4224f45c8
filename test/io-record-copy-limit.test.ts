// A record over 16 MiB is copied to the output unscored, its bytes held in memory until written: without a bound on
// that, a 2 MB gzip of one 2 GiB field took a run to 2.3 GB of memory. Past 128 MiB the reader stops at the record
// (an input error naming where it starts), holding no more of it.
import { closeSync, openSync, writeSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonlRecords } from '../src/io/jsonl-reader.js';
import { openInput } from '../src/io/open-input.js';
import { collect, readCsvFile, tempDir } from './io-helpers.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

const MIB = 1024 * 1024;
/** Writes `head`, then `mib` MiB of 'a', then `tail`, without holding the whole in memory. */
function bigFile(name: string, head: string, mib: number, tail: string): string {
  const file = temp.file(name, '');
  const fd = openSync(file, 'w');
  writeSync(fd, head);
  const chunk = Buffer.alloc(MIB, 0x61);
  for (let i = 0; i < mib; i++) writeSync(fd, chunk);
  writeSync(fd, tail);
  closeSync(fd);
  return file;
}

describe('a record too large to copy', () => {
  it('CSV: a field of 129 MiB stops the run at its record, exit 3, with how to go on', async () => {
    const file = bigFile('big.csv', 'id,review\n1,good\n2,"', 129, '"\n3,bad\n');
    await expect(readCsvFile(file, { textColumn: 'review' })).rejects.toMatchObject({
      code: 'input',
      message: expect.stringMatching(/^the record starting at line 3, byte 17 has more than 128 MiB: too large to copy to the output unscored .*remove it from the export, or cut it short, then run again\. It is inside a quoted value at 128 MiB: /),
    });
  }, 60_000);

  it('CSV: one inside a quote never closed says it may be one', async () => {
    const file = bigFile('open.csv', 'id,review\n1,"', 129, '\n2,bad\n');
    await expect(readCsvFile(file, { textColumn: 'review' })).rejects.toMatchObject({ message: expect.stringMatching(/It is inside a quoted value at 128 MiB: if a quote \("\) was left open by mistake, it takes in every line after it\.$/) });
  }, 60_000);

  it('JSONL: a line of 129 MiB likewise', async () => {
    const file = bigFile('big.jsonl', '{"id":1,"text":"good"}\n{"id":2,"text":"', 129, '"}\n');
    const read = collect(readJsonlRecords(openInput(file, { gzip: false, startOffset: 0 }), { textField: 'text', startOffset: 0, startIndex: 0 }));
    await expect(read).rejects.toMatchObject({ code: 'input', message: expect.stringMatching(/^the record starting at line 2, byte 23 has more than 128 MiB/) });
  }, 60_000);

  it('a record of 127 MiB is still copied, failed as record_too_large', async () => {
    const file = bigFile('fits.jsonl', '{"id":2,"text":"', 127, '"}\n{"id":3,"text":"bad"}\n');
    const records = await collect(readJsonlRecords(openInput(file, { gzip: false, startOffset: 0 }), { textField: 'text', startOffset: 0, startIndex: 0 }));
    expect(records.map((r) => (r.text.ok ? r.text.value : r.text.failure.code))).toEqual(['record_too_large', 'bad']);
  }, 60_000);
});
