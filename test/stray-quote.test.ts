import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { DEFAULTS } from '../src/config/options.js';
import { openSource } from '../src/job/source.js';
import { readCsvHeader, readCsvRecords } from '../src/io/csv-reader.js';
import { lineAt } from '../src/io/line-at.js';
import { openInput } from '../src/io/open-input.js';
import { strayQuoteLines } from '../src/io/stray-quote.js';
import { logLines, runCli, tempDir, warnMessages } from './support/cli.js';

// A TSV (or CSV) written without quoting, whose review opens with a quote it never closes (`1<TAB>"Best purchase
// ever`), is read as RFC 4180 and Python's csv read it: the quote opens a quoted cell, which runs on through the
// next line break into the next row, to the next quote. 4 rows became 3, the merged record was scored as one review
// (the rows inside it got no answer of their own) and the run exited 0, with one warn-level line. Such a record now
// fails on its own (`stray_quote`, counted as a row that could not be read), its bytes copied as they were read.
describe('a quoted cell that runs across a line break and closes mid-text', () => {
  it('is found in a record, with the line breaks it spans', () => {
    expect(strayQuoteLines('1\t"Best purchase ever\n2\tbad, "really" bad\n', '\t')).toBe(1);
    expect(strayQuoteLines('1,"a\r\nb\r\nc" d,x\r\n', ',')).toBe(2);
    // Properly quoted, quotes doubled inside, line breaks inside: nothing to say.
    expect(strayQuoteLines('1,"He said ""hi""\nthen left",x\n', ',')).toBeUndefined();
    expect(strayQuoteLines('1,"""Best"" ever\nreally",x\n', ',')).toBeUndefined();
    // Text after a closing quote on one line only: no rows were joined.
    expect(strayQuoteLines('1,"good"  ,x\n', ',')).toBeUndefined();
    // A quote inside an unquoted cell is data.
    expect(strayQuoteLines('1,5" screen,x\n', ',')).toBeUndefined();
    // After a cell with text after its closing quote on one line, the next cells are looked at too (csv-parse reads
    // `"d" e` as one cell, `"d" e`, and then the next). Was undefined: only the first such cell was looked at.
    expect(strayQuoteLines('2,"d" e,"f\r\ng" h\n', ',')).toBe(1);
    expect(strayQuoteLines('2,"d" "e,"f\ng" h\n', ',')).toBe(1);
    expect(strayQuoteLines('2,"d" e,"f\ng",x\n', ',')).toBeUndefined();
    // A delimiter of several bytes.
    expect(strayQuoteLines('1；"a\nb" c；x\n', '；')).toBe(1);
  });

  it('is not found when only padding follows the closing quote of a cell quoted across lines (one record, padded)', () => {
    // Was 1: a review quoted on purpose, padded before its delimiter, was failed as stray_quote.
    expect(strayQuoteLines('1,"Great\nplace" ,5\n', ',')).toBeUndefined();
    expect(strayQuoteLines('1,"Great\r\nplace"\t \r\n', ',')).toBeUndefined();
    expect(strayQuoteLines('1\t"Great\nplace"  \t5\n', '\t')).toBeUndefined();
    // Text after the padding is a row's text, as before.
    expect(strayQuoteLines('1,"Great\nplace"  x,5\n', ',')).toBe(1);
  });

  it('is not found where the quote that closes the cell for csv-parse is escaped by a backslash (MySQL, an escapechar)', () => {
    // MySQL's SELECT … INTO OUTFILE … ENCLOSED BY '"' (ESCAPED BY '\\' by default) writes a review's quotes `\"`, its line
    // breaks as they are: one review. Was 1: failed as stray_quote where the release before scored it.
    expect(strayQuoteLines('1,"Loved it\nmy son said \\"wow\\" twice",5\n', ',')).toBeUndefined();
    expect(strayQuoteLines('1\t"Loved it\r\nhe said \\"wow\\"\t5\r\n', '\t')).toBeUndefined();
    // An escaped backslash before the quote (`\\"`) escapes no quote: text after it is a row's text, as before.
    expect(strayQuoteLines('1,"a\nb\\\\" c,5\n', ',')).toBe(1);
    expect(strayQuoteLines('1,"a\nb\\\\\\" c,5\n', ',')).toBeUndefined();
  });

  it('lineAt counts the lines before a byte as the reader numbers them, a CRLF split between chunks counting once', async () => {
    const chunks = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)));
    expect(await lineAt(chunks('a\r', '\nb\rc\n', 'd'), 9)).toBe(4);
    expect(await lineAt(chunks('a\r', '\nb'), 2)).toBe(2);
    expect(await lineAt(chunks('a\r', '\nb'), 0)).toBe(1);
  });

  it('a reader started past the header (a resume) names the same lines as one that read from the start', async () => {
    const { dir: folder, cleanup: remove } = tempDir();
    try {
      const text = 'id,text\r\n1,fine\r\n2,"a\r\nb\nc" d\r\n3,"e\nf" g\n4,ok\n';
      const input = path.join(folder, 'in.csv');
      writeFileSync(input, text);
      const header = await readCsvHeader(input, { gzip: false, delimiter: ',' });
      const read = async (startOffset: number) => {
        const errors: string[] = [];
        const options = { delimiter: ',', header, textColumn: 'text', startOffset, startIndex: 0, strayQuotes: { lineAt: (byte: number) => lineAt(openInput(input, { gzip: false, startOffset: 0 }), byte) } };
        for await (const record of readCsvRecords(openInput(input, { gzip: false, startOffset }), options)) errors.push(record.text.ok ? '' : record.text.failure.message.slice(0, 12));
        return errors;
      };
      expect(await read(header.byteEnd)).toEqual(['', 'lines 3-5 we', 'lines 6-7 we', '']);
      expect(await read(text.indexOf('2,"a'))).toEqual(['lines 3-5 we', 'lines 6-7 we', '']);
      expect(await read(text.indexOf('3,"e'))).toEqual(['lines 6-7 we', '']);
    } finally {
      remove();
    }
  });

  it("a resume's warn line names a record from where it resumes on, not the one its checkpoint's proof re-reads", async () => {
    const { dir: folder, cleanup: remove } = tempDir();
    try {
      // Lines 3-4 are one record (the last row the earlier run wrote, and named), lines 6-7 another (this run's).
      const text = 'id,text\n1,fine\n2,"a\nb" c\n3,ok\n4,"d\ne" f\n5,ok\n';
      const input = path.join(folder, 'in.csv');
      writeFileSync(input, text);
      for (const gzip of [false, true]) {
        const file = gzip ? `${input}.gz` : input;
        if (gzip) writeFileSync(file, gzipSync(text));
        const warned: string[] = [];
        const source = await openSource({ ...DEFAULTS, input: file, output: path.join(folder, 'out.csv') }, file, (line) => warned.push(line));
        try {
          const proven = await source.recordAt(text.indexOf('2,"a'));
          expect(proven?.text.ok).toBe(false);
          expect(warned).toEqual([]);
          for await (const record of source.records(text.indexOf('3,ok'), 2)) expect(record.index).toBeGreaterThanOrEqual(2);
          expect([gzip, warned.map((line) => line.slice(0, 7))]).toEqual([gzip, ['line 6:']]);
        } finally {
          await source.release();
        }
      }
    } finally {
      remove();
    }
  });

  describe('score and estimate', () => {
    let dir: string;
    let cleanup: () => void;
    beforeAll(() => ({ dir, cleanup } = tempDir()));
    afterAll(() => cleanup());

    const HEADER = 'id\ttext\n';
    // Lines 2-3 are one record, and so are lines 5-6 (the second written with CRLF inside and after it).
    const FIRST = '1\t"Best purchase ever\n2\tbad, "really" bad\n';
    const SECOND = '4\t"x\r\ny" z\r\n';
    const GOOD = ['3\tgreat phone\n', '5\tterrible\n', '6\tworks fine\n', '7\tlove it\n'];
    // No cell of these rows is quoted (an export written without quoting): the advice names --quote none first.
    const NONE =
      "no cell in the file's first rows is quoted: if the export never quotes a cell (MySQL's default INTO OUTFILE, Python's csv QUOTE_NONE), a quote is plain text in it: read it with --quote none --escape backslash";
    const failed = (lines: string, breaks: number) =>
      `stray_quote: lines ${lines} were read as one record: a quoted cell in it runs across ${breaks} line break${breaks === 1 ? '' : 's'} and closes with text after its closing quote (a stray quote?); not scored: ${NONE}; else remove that quote, or quote the cell and double each quote inside`;

    it('fail each record so read, copied as read, unscored; the first one said once; a rerun leaves them', async () => {
      const input = path.join(dir, 'q.tsv');
      writeFileSync(input, HEADER + FIRST + GOOD[0] + SECOND + GOOD.slice(1).join(''));
      const output = path.join(dir, 'q.scored.tsv');
      const summary = path.join(dir, 'q.json');
      const args = ['score', input, '-o', output, '--backend', 'embedded', '--log-format', 'json', '--progress', 'off', '--summary-json', summary];
      const r = await runCli(args);
      expect(r.code).toBe(0);
      const warned = logLines(r.stderr).filter((line) => /stray quote/.test(String(line['msg'])));
      expect(warned.map((line) => line['msg'])).toEqual([
        `line 2: a quoted cell opens in this record and closes 1 line later with text after its closing quote, so lines 2-3 were read as one record (a stray quote?), marked failed (stray_quote), not scored; ${NONE}; else, if they are separate reviews, remove that quote, or quote the cell and double each quote inside (""). Later records like it are not named here: each is marked failed the same way, and counted in the summary`,
      ]);
      expect(warned[0]!['level']).toBe(40);
      const out = readFileSync(output, 'utf8');
      // Each such record: its bytes as read, then five cells of which only the error is set (no quote or tab in it).
      expect(out).toContain(`${FIRST.slice(0, -1)}\t\t\t\t\t${failed('2-3', 1)}\n${GOOD[0]!.slice(0, -1)}\tPOSITIVE\t`);
      expect(out).toContain(`${SECOND.slice(0, -2)}\t\t\t\t\t${failed('5-6', 1)}\r\n${GOOD[1]!.slice(0, -1)}\tNEGATIVE\t`);
      const json = JSON.parse(readFileSync(summary, 'utf8')) as { totals: Record<string, number>; run: { failuresByCode: Record<string, number> }; failedRows: Record<string, number> };
      expect(json.totals).toMatchObject({ read: 6, scored: 4, failed: 2 });
      expect(json.run.failuresByCode).toEqual({ stray_quote: 2 });
      // Refused for their record: not listed to be scored again.
      expect(json.failedRows).toEqual({ retry: 0, final: 2 });
      expect(existsSync(`${output}.failed-rows`)).toBe(false);
      const again = await runCli(args);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/Already done/);
      expect(readFileSync(output, 'utf8')).toBe(out);

      // estimate counts them as score treats them: rows that cannot be read, neither sent nor priced.
      const e = await runCli(['estimate', input, '--backend', 'embedded'], { cwd: dir });
      expect(warnMessages(e.stderr)[0]).toMatch(/^line 2: a quoted cell opens in this record and closes 1 line later with text after its closing quote, so lines 2-3 were read as one record \(a stray quote\?\), marked failed \(stray_quote\), not scored;/);
      expect(e.stdout).toMatch(/^rows 6 · non-empty 4 · unique texts 4 /);
      expect(e.stdout).toMatch(/unreadable rows 2\n/);
      expect(e.stdout).toMatch(/requests 4 · tokens to send /);
    });

    it('are judged by --max-error-rate as rows that could not be read', async () => {
      const input = path.join(dir, 'mostly.tsv');
      writeFileSync(input, HEADER + FIRST + GOOD[0] + SECOND);
      const output = path.join(dir, 'mostly.scored.tsv');
      const r = await runCli(['score', input, '-o', output, '--backend', 'embedded', '--progress', 'off']);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/2 of 3 rows read could not be read \(ragged rows, rows joined by a stray quote, .*\(limit --max-error-rate 0.5\); the output is complete: see the sentiment_error column/);
      expect(readFileSync(output, 'utf8')).toContain(failed('5-6', 1));
    });
  });
});
