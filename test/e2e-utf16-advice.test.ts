import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { expectCleanError } from './support/e2e-dir.js';

// A UTF-16 input (Excel's "Unicode Text", PowerShell's `>`) is refused with the iconv command that converts it. The
// command named `in.csv` whatever the file: a JSON Lines file was told `iconv ... in.csv > in-utf8.csv`, which names
// neither the user's file nor its kind. It names the file as the command line gave it now, and writes the converted
// copy beside it, in the same format.
const jsonl = '{"text":"great product"}\n{"text":"awful, it broke"}\n';
const withMark = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

describe('a UTF-16 input: the iconv that converts it names the file', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'reviews.jsonl'), withMark(jsonl));
    writeFileSync(path.join(dir, 'my reviews.tsv'), withMark('id\ttext\n1\tgreat\n'));
    writeFileSync(path.join(dir, 'reviews.jsonl.gz'), gzipSync(withMark(jsonl)));
    writeFileSync(path.join(dir, 'plain.jsonl'), Buffer.from(jsonl, 'utf16le'));
    writeFileSync(path.join(dir, 'scored-plain.jsonl'), Buffer.from('{"text":"great","sentiment":{"label":"POSITIVE","score":0.99}}\n{"text":"awful","sentiment":{"label":"NEGATIVE","score":0.98}}\n', 'utf16le'));
    writeFileSync(path.join(dir, 'scored.csv'), withMark('text,sentiment_label,sentiment_score\ngreat,POSITIVE,0.99\n'));
    writeFileSync(path.join(dir, 'crosstab.csv'), withMark('ID\tReview\tRating\r\n1\tgreat stuff\t5\r\n2\tawful\t1\r\n'));
    writeFileSync(path.join(dir, 'crosstab-le.csv'), Buffer.from('ID\tReview\tRating\r\n1\tgreat stuff\t5\r\n', 'utf16le'));
    writeFileSync(path.join(dir, 'crosstab-be.csv'), Buffer.from('ID\tReview\tRating\r\n1\tgreat stuff\t5\r\n', 'utf16le').swap16());
    writeFileSync(path.join(dir, 'commas-le.csv'), Buffer.from('ID,Review\tnote,Rating\r\n1,great,5\r\n', 'utf16le'));
  });
  afterAll(() => cleanup());

  const refusal = async (args: string[], input?: Buffer): Promise<string> => {
    const r = await runCli(args, { cwd: dir, ...(input ? { input } : {}) });
    expectCleanError(r.stderr);
    expect(r.code).toBe(3);
    return r.stderr;
  };

  it('a JSON Lines file with a byte-order mark, scored or estimated', async () => {
    const line = 'it starts with a UTF-16 byte-order mark; save the file as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 reviews.jsonl > reviews-utf8.jsonl)\n';
    expect(await refusal(['score', 'reviews.jsonl', '--backend', 'embedded'])).toContain(line);
    expect(await refusal(['estimate', 'reviews.jsonl'])).toContain(line);
  });

  it('a TSV whose name needs quoting, a gzip file, standard input', async () => {
    expect(await refusal(['score', 'my reviews.tsv', '--backend', 'embedded'])).toContain("e.g. iconv -f UTF-16 -t UTF-8 'my reviews.tsv' > 'my reviews-utf8.tsv')\n");
    expect(await refusal(['score', 'reviews.jsonl.gz', '--backend', 'embedded'])).toContain('e.g. gunzip -c reviews.jsonl.gz | iconv -f UTF-16 -t UTF-8 > reviews-utf8.jsonl)\n');
    // No file to name: the format's extension, at least.
    expect(await refusal(['score', '-', '--format', 'jsonl', '-o', 'out.jsonl', '--backend', 'embedded'], withMark(jsonl))).toContain('e.g. iconv -f UTF-16 -t UTF-8 in.jsonl > in-utf8.jsonl)\n');
  });

  it('without a byte-order mark, and a scored file saved as UTF-16 given to report', async () => {
    expect(await refusal(['score', 'plain.jsonl', '--backend', 'embedded'])).toContain('e.g. iconv -f UTF-16LE -t UTF-8 plain.jsonl > plain-utf8.jsonl\n');
    expect(await refusal(['report', 'scored.csv'])).toContain('e.g. iconv -f UTF-16 -t UTF-8 scored.csv > scored-utf8.csv)\n');
    // A scored JSONL saved as UTF-16 without a mark: report said only "none of the first 2 lines is a JSON object".
    expect(await refusal(['report', 'scored-plain.jsonl'])).toContain(
      'this is not a scored file: none of the first 2 lines is a JSON object: its lines hold NUL bytes: the file looks like UTF-16 (little-endian, no byte-order mark) or binary data; save it as UTF-8 text, e.g. iconv -f UTF-16LE -t UTF-8 scored-plain.jsonl > scored-plain-utf8.jsonl\n',
    );
  });

  it('a tab-separated UTF-16 file named .csv (Tableau crosstab): the copy is named .tsv, and scores as it is named', async () => {
    expect(await refusal(['score', 'crosstab.csv', '--text-column', 'Review', '--backend', 'embedded'])).toContain(
      'e.g. iconv -f UTF-16 -t UTF-8 crosstab.csv > crosstab-utf8.tsv: its columns are tab-separated, which a .tsv name reads)\n',
    );
    // Without a byte-order mark the copy was still named .csv, and refused next as one column ('add --delimiter tab').
    expect(await refusal(['score', 'crosstab-le.csv', '--text-column', 'Review', '--backend', 'embedded'])).toContain(
      'e.g. iconv -f UTF-16LE -t UTF-8 crosstab-le.csv > crosstab-le-utf8.tsv: its columns are tab-separated, which a .tsv name reads\n',
    );
    expect(await refusal(['estimate', 'crosstab-be.csv', '--text-column', 'Review'])).toContain(
      'e.g. iconv -f UTF-16BE -t UTF-8 crosstab-be.csv > crosstab-be-utf8.tsv: its columns are tab-separated, which a .tsv name reads\n',
    );
    // Commas in its first line: a CSV with a tab in a cell, whose copy stays .csv.
    expect(await refusal(['score', 'commas-le.csv', '--text-column', 'Review', '--backend', 'embedded'])).toContain('e.g. iconv -f UTF-16LE -t UTF-8 commas-le.csv > commas-le-utf8.csv\n');
  });

  // Excel's "Unicode Text (*.txt)": its .txt name was refused with "name the format with --format", and the run with
  // --format tsv then said it is UTF-16. The first refusal says both, with the conversion to a .tsv beside it.
  it("a .txt that is Excel's Unicode Text: the extension's refusal names the conversion at once", async () => {
    writeFileSync(path.join(dir, 'Book1.txt'), withMark('ID\tReview\tRating\r\n1\tgreat stuff\t5\r\n'));
    writeFileSync(path.join(dir, 'notes.txt'), 'ID\tReview\n1\tgreat\n');
    for (const [args, flag] of [
      [['score', 'Book1.txt', '--text-column', 'Review'], '--format'],
      [['estimate', 'Book1.txt'], '--format'],
      [['report', 'Book1.txt'], '--input-format'],
    ] as const) {
      const r = await runCli([...args], { cwd: dir });
      expectCleanError(r.stderr);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        "sentiment-batch: cannot tell the format of 'Book1.txt' from its extension: .txt is not one of .csv, .tsv, .jsonl, .ndjson; it starts with a " +
          `UTF-16 byte-order mark, as Excel's "Unicode Text" export does (UTF-16, tab-separated), which ${flag} tsv would refuse as not UTF-8: convert ` +
          'it, e.g. iconv -f UTF-16 -t UTF-8 Book1.txt > Book1.tsv, then run the same command on that file\n',
      );
    }
  });

  // Excel's "Text (Tab delimited) (*.txt)", in UTF-8 or Windows-1252: refused with "name the format with --format
  // csv|tsv|jsonl", which left the format (and a ';' file's delimiter) to guess. Its first line shows them.
  it('a .txt of 8-bit text: the refusal names the format its first line shows', async () => {
    writeFileSync(path.join(dir, 'notes.txt'), 'ID\tReview\n1\tgreat\n');
    writeFileSync(path.join(dir, 'ansi.txt'), Buffer.from('ID\tCaf\xe9 review\r\n1\tgreat\r\n', 'latin1'));
    writeFileSync(path.join(dir, 'semi.txt'), 'ID;Review, short\n1;great\n');
    writeFileSync(path.join(dir, 'lines.txt'), '{"text":"great"}\n');
    writeFileSync(path.join(dir, 'prose.txt'), 'just some words\n');
    const refusal = async (args: string[]): Promise<string> => {
      const r = await runCli(args, { cwd: dir });
      expectCleanError(r.stderr);
      expect(r.code).toBe(2);
      return r.stderr;
    };
    const start = (name: string): string => `sentiment-batch: cannot tell the format of '${name}' from its extension: .txt is not one of .csv, .tsv, .jsonl, .ndjson; `;
    const tab = `its first line is tab-separated, as Excel's "Text (Tab delimited)" export writes it: add --format tsv (or name it .tsv)\n`;
    expect(await refusal(['score', 'notes.txt'])).toBe(start('notes.txt') + tab);
    expect(await refusal(['estimate', 'ansi.txt'])).toBe(start('ansi.txt') + tab);
    expect(await refusal(['report', 'notes.txt'])).toBe(start('notes.txt') + tab.replace('--format', '--input-format'));
    expect(await refusal(['score', 'semi.txt'])).toBe(`${start('semi.txt')}its first line is ';'-separated: add --format csv --delimiter ';'\n`);
    expect(await refusal(['score', 'lines.txt'])).toBe(`${start('lines.txt')}its first line opens a JSON object: if it holds one per line (JSON Lines), add --format jsonl (or name it .jsonl)\n`);
    // A first line that shows no delimiter: only its format is unknown, as before.
    expect(await refusal(['score', 'prose.txt'])).toMatch(/cannot tell the format of 'prose\.txt' from its extension: supported are .*name the format with --format csv\|tsv\|jsonl\n$/);
  });
});

// fuzz34: a UTF-16 export without a mark whose first chunk holds a letter beyond ASCII (SQL Server's `bcp -w`, a
// PowerShell `[IO.File]::WriteAllText(..., [Text.Encoding]::Unicode)` without the preamble) met the UTF-8 check before
// the header row's NUL check: 'é' (E9 00) is no UTF-8, so it was told "Windows-1252 or Latin-1", whose iconv ran
// literally wrote a copy with a NUL after each letter. The NULs every other byte name UTF-16 and its byte order there too.
describe('a UTF-16 export without a mark, a letter beyond ASCII in its first lines', () => {
  let dir: string;
  let cleanup: () => void;
  const text = 'id,text\r\n1,très bien, déçu\r\n2,great\r\n';
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'le.csv'), Buffer.from(text, 'utf16le'));
    writeFileSync(path.join(dir, 'be.jsonl'), Buffer.from('{"text":"Größe passt, schön"}\n', 'utf16le').swap16());
  });
  afterAll(() => cleanup());

  it('names UTF-16LE / UTF-16BE, and the command it prints writes the text as it was', async () => {
    for (const [file, from, want] of [
      ['le.csv', 'UTF-16LE', text],
      ['be.jsonl', 'UTF-16BE', '{"text":"Größe passt, schön"}\n'],
    ] as const) {
      const r = await runCli(['score', file, '--backend', 'embedded'], { cwd: dir });
      expectCleanError(r.stderr);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`e.g. iconv -f ${from} -t UTF-8 ${file} > `);
      const command = /e\.g\. (iconv [^)\n]*)/.exec(r.stderr)?.[1];
      execFileSync('sh', ['-c', command!], { cwd: dir });
      const copy = /> (\S+)$/.exec(command!)?.[1];
      expect(readFileSync(path.join(dir, copy!), 'utf8')).toBe(want);
    }
  });
});
