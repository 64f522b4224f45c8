import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../src/errors.js';
import { defaultDelimiter, detectFormat } from '../src/io/format.js';
import { inputIdentity, openInput } from '../src/io/open-input.js';
import { collect, tempDir } from './io-helpers.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

const bytesOf = async (stream: AsyncIterable<Buffer>) => Buffer.concat(await collect(stream));

describe('detectFormat', () => {
  it('reads the format and gzip from the extension', () => {
    expect(detectFormat('a/b.csv')).toEqual({ format: 'csv', gzip: false });
    expect(detectFormat('b.TSV')).toEqual({ format: 'tsv', gzip: false });
    expect(detectFormat('b.jsonl.gz')).toEqual({ format: 'jsonl', gzip: true });
    expect(detectFormat('b.ndjson')).toEqual({ format: 'jsonl', gzip: false });
    expect(detectFormat('b.csv.GZ')).toEqual({ format: 'csv', gzip: true });
  });

  it('lets --format override the extension, still honouring .gz', () => {
    expect(detectFormat('export.txt', 'tsv')).toEqual({ format: 'tsv', gzip: false });
    expect(detectFormat('export.txt.gz', 'jsonl')).toEqual({ format: 'jsonl', gzip: true });
    expect(detectFormat('-', 'csv')).toEqual({ format: 'csv', gzip: false });
  });

  it('explains what to do for stdin and unknown extensions', () => {
    expect(() => detectFormat('-')).toThrow(ConfigError);
    expect(() => detectFormat('-')).toThrow("reading standard input ('-') needs --format csv|tsv|jsonl");
    expect(() => detectFormat('data.txt')).toThrow(
      "cannot tell the format of 'data.txt' from its extension: supported are .csv, .tsv, .jsonl, .ndjson (each optionally followed by .gz); name the format with --format csv|tsv|jsonl",
    );
    expect(() => detectFormat('data.gz')).toThrow(ConfigError);
  });

  it('says a spreadsheet workbook is to be saved as CSV, instead of naming --format (which then read its ZIP bytes as Windows-1252)', () => {
    for (const name of ['reviews.xlsx', 'Reviews.XLS', 'r.xlsm', 'r.ods', 'r.numbers']) {
      expect(() => detectFormat(name)).toThrow(ConfigError);
      expect(() => detectFormat(name)).toThrow(
        `'${name}' is a spreadsheet workbook, not text: sentiment-batch reads CSV, TSV and JSONL; save the sheet as CSV UTF-8 (Excel: File > Save As > CSV UTF-8 (Comma delimited)) and score that file`,
      );
    }
  });

  // An export shipped as .zip, .tar.gz, .csv.bz2, .csv.xz or .csv.zst was told to name the format with --format csv, which
  // then read the compressed bytes as text: "probably in another encoding such as Windows-1252 … iconv" for bzip2 and xz,
  // "looks like UTF-16" for a tar.gz. The archive or the compression is named at once, with the command that opens it.
  it('names an archive or a compression other than gzip, with the command that opens it, instead of --format', () => {
    const said = (name: string): string => {
      try {
        detectFormat(name);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    const reads = 'sentiment-batch reads one CSV, TSV or JSONL file, plain or gzip-compressed (.gz)';
    expect(said('in/Reviews.ZIP')).toBe(`'in/Reviews.ZIP' is a ZIP archive: ${reads}: unzip it (unzip in/Reviews.ZIP) and score the file inside`);
    expect(said('e.tar.gz')).toBe(`'e.tar.gz' is a tar archive: ${reads}: extract it (tar -xf e.tar.gz) and score the file inside`);
    expect(said('e.tgz')).toBe(`'e.tgz' is a tar archive: ${reads}: extract it (tar -xf e.tgz) and score the file inside`);
    expect(said('my export.7z')).toBe(`'my export.7z' is a 7-Zip archive: ${reads}: extract it (7z x 'my export.7z') and score the file inside`);
    expect(said('e.csv.bz2')).toBe(
      `'e.csv.bz2' is bzip2-compressed, and of compressions only gzip (.gz) is read: decompress it (bunzip2 -k e.csv.bz2) and score e.csv, or recompress it (bunzip2 -c e.csv.bz2 | gzip > e.csv.gz) and score that`,
    );
    expect(said('e.jsonl.xz')).toBe(
      `'e.jsonl.xz' is xz-compressed, and of compressions only gzip (.gz) is read: decompress it (unxz -k e.jsonl.xz) and score e.jsonl, or recompress it (unxz -c e.jsonl.xz | gzip > e.jsonl.gz) and score that`,
    );
    expect(said('e.csv.zst')).toBe(
      `'e.csv.zst' is zstd-compressed, and of compressions only gzip (.gz) is read: decompress it (unzstd -k e.csv.zst) and score e.csv, or recompress it (unzstd -c e.csv.zst | gzip > e.csv.gz) and score that`,
    );
    // Without a format inside the name: the decompressed file then needs --format, which the next run says.
    expect(said('dump.bz2')).toBe(`'dump.bz2' is bzip2-compressed, and of compressions only gzip (.gz) is read: decompress it (bunzip2 -k dump.bz2) and score dump`);
    // --format names the format of what is inside; the bytes then say what they are (utf8-check.ts).
    expect(detectFormat('e.csv.bz2', 'csv')).toEqual({ format: 'csv', gzip: false });
  });

  // `score jobs/nightly-reviews.json` (a job file given to score, not run) was told to add --format csv|tsv|jsonl,
  // which would read the job's settings as its reviews; a JSON Lines export named .json needs --format jsonl.
  it('says a .json file is run as a job file, or read as JSON Lines with --format jsonl', () => {
    expect(() => detectFormat('jobs/nightly-reviews.json')).toThrow(
      "cannot tell the format of 'jobs/nightly-reviews.json' from its extension: .json is not one of .csv, .tsv, .jsonl, .ndjson; it holds one JSON object: a job file runs with sentiment-batch run jobs/nightly-reviews.json; one record of data, written on one line (jq -c . jobs/nightly-reviews.json > jobs/nightly-reviews.jsonl), reads as JSON Lines",
    );
    expect(() => detectFormat('export.JSON.gz')).toThrow(ConfigError);
    // A job file is never gzip: BigQuery's compressed JSON export (export-000000000000.json.gz) is not told to `run` it.
    expect(() => detectFormat('export-000000000000.json.gz')).toThrow(
      "cannot tell the format of 'export-000000000000.json.gz' from its extension: .json is not one of .csv, .tsv, .jsonl, .ndjson; a JSON Lines export (one object per line) reads with --format jsonl (or name it .jsonl)",
    );
    // A JSON array export (`[{…},{…}]`) named .json: the jq line at once. It was told --format jsonl first, and only
    // that second run said to convert it with jq.
    {
      const dir = temp.dir;
      const pretty = path.join(dir, 'export.json');
      writeFileSync(pretty, '\uFEFF[\n  {"text": "great product"},\n  {"text": "awful"}\n]\n');
      const line = (file: string, flag = '--format') =>
        `cannot tell the format of '${file}' from its extension: .json is not one of .csv, .tsv, .jsonl, .ndjson; it holds a JSON array (one document), not JSON Lines, which ${flag} jsonl would refuse: ` +
        `write one record per line, e.g. jq -c '.[]' ${file.includes(' ') ? `'${file}'` : file} > ${file.includes(' ') ? `'${file.replace(/\.json$/, '.jsonl')}'` : file.replace(/\.json$/, '.jsonl')}, then run the same command on that file`;
      expect(() => detectFormat(pretty)).toThrow(line(pretty));
      const oneLine = path.join(dir, 'my rows.json');
      writeFileSync(oneLine, '[{"text":"great"},{"text":"awful"}]');
      expect(() => detectFormat(oneLine, undefined, '--input-format')).toThrow(line(oneLine, '--input-format'));
      // One JSON object, a job file or one record of data: score said "a job file runs with: run x.json" first and
      // "a JSON Lines export (one object per line)", which one object does not look like; run x.json then sent a record
      // back to score --format jsonl. Both at once, in run's words; report (--input-format) runs no job file.
      const job = path.join(dir, 'job.json');
      writeFileSync(job, '{"input": "in.csv"}\n');
      const oneObject = `cannot tell the format of '${job}' from its extension: .json is not one of .csv, .tsv, .jsonl, .ndjson; it holds one JSON object: `;
      expect(() => detectFormat(job)).toThrow(`${oneObject}a job file runs with sentiment-batch run ${job}; one record of data reads with --format jsonl (or name it .jsonl)`);
      const record = path.join(dir, 'x.json');
      writeFileSync(record, '{\n  "id": "a1b2",\n  "review": "great"\n}');
      // Written over several lines, it is no JSON Lines as it is: --format jsonl said "the first line is '{' alone … jq -c
      // '.[]'", whose '.[]' turns an object into its values. On one line first (jq -c .), then it reads as JSON Lines.
      const recordJsonl = path.join(dir, 'x.jsonl');
      expect(() => detectFormat(record)).toThrow(`a job file runs with sentiment-batch run ${record}; one record of data, written on one line (jq -c . ${record} > ${recordJsonl}), reads as JSON Lines`);
      expect(() => detectFormat(record, undefined, '--input-format')).toThrow(`it holds one JSON object: as one record of data, written on one line (jq -c . ${record} > ${recordJsonl}), reads as JSON Lines`);
      // BigQuery's JSON export (export-000000000000.json: one object per line) was told first that a job file runs with
      // `run`, which then said it was JSON Lines to score with --format jsonl: its lines say what it is at once.
      const lines = path.join(dir, 'export-000000000000.json');
      writeFileSync(lines, '{"id":"1","review":"great"}\n{"id":"2","review":"awful"}\n');
      expect(() => detectFormat(lines)).toThrow(
        `cannot tell the format of '${lines}' from its extension: .json is not one of .csv, .tsv, .jsonl, .ndjson; it holds one JSON object per line, JSON Lines (as BigQuery names its exports): add --format jsonl (or name it .jsonl)`,
      );
      expect(() => detectFormat(lines, undefined, '--input-format')).toThrow(/JSON Lines \(as BigQuery names its exports\): add --input-format jsonl/);
      // Its last line without a line feed: the peek read the whole file, so that line is whole and counts.
      const unended = path.join(dir, 'unended.json');
      writeFileSync(unended, '{"id":"1","review":"great"}\n{"id":"2","review":"awful"}');
      expect(() => detectFormat(unended)).toThrow(/; it holds one JSON object per line, JSON Lines/);
    }
    // report names its flag --input-format and runs no job file.
    expect(() => detectFormat('scored.json', undefined, '--input-format')).toThrow(
      "cannot tell the format of 'scored.json' from its extension: .json is not one of .csv, .tsv, .jsonl, .ndjson; a JSON Lines export (one object per line) reads with --input-format jsonl (or name it .jsonl)",
    );
  });
});

describe('defaultDelimiter', () => {
  it('is a tab for TSV and a comma for CSV', () => {
    expect(defaultDelimiter('tsv')).toBe('\t');
    expect(defaultDelimiter('csv')).toBe(',');
  });
});

describe('openInput', () => {
  const content = Buffer.from('0123456789'.repeat(20_000));
  const plain = temp.file('plain.csv', content);
  const gz = temp.file('plain.csv.gz', gzipSync(content));

  it('seeks a plain file to the offset', async () => {
    expect((await bytesOf(openInput(plain, { gzip: false }))).equals(content)).toBe(true);
    expect((await bytesOf(openInput(plain, { gzip: false, startOffset: 123_457 }))).equals(content.subarray(123_457))).toBe(true);
  });

  it('decompresses gzip and drops the first startOffset decompressed bytes', async () => {
    expect((await bytesOf(openInput(gz, { gzip: true }))).equals(content)).toBe(true);
    for (const offset of [1, 65_536, 199_999, 200_000, 250_000]) {
      expect((await bytesOf(openInput(gz, { gzip: true, startOffset: offset }))).equals(content.subarray(offset))).toBe(true);
    }
  });

  it('fails at once with the path and the OS reason for a missing file or a directory', () => {
    const missing = `${temp.dir}/nope.csv`;
    expect(() => openInput(missing, { gzip: false })).toThrow(InputError);
    expect(() => openInput(missing, { gzip: false })).toThrow(`cannot open input file '${missing}': no such file or directory (ENOENT)`);
    const empty = path.join(temp.dir, 'empty-folder');
    mkdirSync(empty);
    expect(() => openInput(empty, { gzip: false })).toThrow(`cannot read input file '${empty}': it is a folder, not a file; give the path of a file`);
  });

  // A deploy's `current` link left pointing at a release pruned since, or a link made on the host holding a host path,
  // followed inside a container (operator32): `ls current/` shows the link, and "check the path" said nothing of it.
  it('names the symbolic link that leads nowhere, on the way or as the file itself', () => {
    const current = path.join(temp.dir, 'current');
    const gone = path.join(temp.dir, 'releases', 'r1');
    symlinkSync(gone, current);
    const through = path.join(current, 'in.csv');
    expect(() => openInput(through, { gzip: false })).toThrow(
      `cannot open input file '${through}': no such file or directory (ENOENT): ${current} is a symbolic link to ${gone}, which leads to no folder; ` +
        'create the folder it points to, or fix the link (in a container, a link holding an absolute path of the host leads nowhere: make it relative)',
    );
    const linkedFile = path.join(temp.dir, 'export.csv');
    symlinkSync('exports/2026-12-01.csv', linkedFile);
    expect(() => openInput(linkedFile, { gzip: false })).toThrow(
      `cannot open input file '${linkedFile}': no such file or directory (ENOENT): ${linkedFile} is a symbolic link to exports/2026-12-01.csv, which leads to no file; ` +
        'put the file where it points, or fix the link',
    );
    // A link that leads to itself is no link to nothing: told as the loop it is (ELOOP), not as a file missing.
    const loop = path.join(temp.dir, 'loop.csv');
    symlinkSync('loop.csv', loop);
    expect(() => openInput(loop, { gzip: false })).toThrow(`cannot open input file '${loop}': too many symbolic links encountered (ELOOP)`);
  });

  // Spark, Hive and Dask write an export as a folder of parts (reviews.csv/part-00000-….csv, _SUCCESS): the folder was
  // refused with "give the path of a file" and no word of the files in it that can be read.
  it('names the files a folder holds that can be scored, as the parts of an export', () => {
    const parts = path.join(temp.dir, 'reviews.csv');
    mkdirSync(parts);
    for (const name of ['_SUCCESS', 'part-00001-a1.csv', 'part-00000-a1.csv', '.part-00000-a1.csv.crc', 'part-00002-a1.csv.gz', 'part-00003-a1.csv']) writeFileSync(path.join(parts, name), 'id,text\n');
    expect(() => openInput(parts, { gzip: false })).toThrow(
      `cannot read input file '${parts}': it is a folder, not a file; it holds 4 files that can be scored (part-00000-a1.csv, part-00001-a1.csv, part-00002-a1.csv.gz, …), ` +
        'as a folder of parts (Spark, Hive, Dask) does: score each of them, as its own file',
    );
    // Spark names its JSON Lines parts .json.
    const json = path.join(temp.dir, 'reviews.json');
    mkdirSync(json);
    for (const name of ['_SUCCESS', 'part-00000-b2.json']) writeFileSync(path.join(json, name), '{}\n');
    expect(() => openInput(json, { gzip: false })).toThrow(
      `cannot read input file '${json}': it is a folder, not a file; it holds one file that can be scored: give its path, ${path.join(json, 'part-00000-b2.json')} (a .json part of JSON Lines with --format jsonl)`,
    );
  });

  // A folder of outputs given as the input (`score out`): its checkpoints were named files that can be scored
  // ('it holds 2 files that can be scored (a.csv, a.csv.checkpoint.json)'), and the line said to score each. They are
  // this tool's own, no export.
  it("leaves a run's checkpoints out of the files a folder holds that can be scored", () => {
    const out = path.join(temp.dir, 'out');
    mkdirSync(out);
    for (const name of ['a.scored.csv', 'a.scored.csv.checkpoint.json', 'b.scored.jsonl.checkpoint.json']) writeFileSync(path.join(out, name), '{}\n');
    expect(() => openInput(out, { gzip: false })).toThrow(`cannot read input file '${out}': it is a folder, not a file; it holds one file that can be scored: give its path, ${path.join(out, 'a.scored.csv')}`);
    const only = path.join(temp.dir, 'only-checkpoints');
    mkdirSync(only);
    writeFileSync(path.join(only, 'a.csv.checkpoint.json'), '{}\n');
    expect(() => openInput(only, { gzip: false })).toThrow(`cannot read input file '${only}': it is a folder, not a file; give the path of a file`);
  });

  // The summary JSON beside an output under the name report finds it by (--summary-json out/a.summary.json next to
  // out/a.scored.csv) was named a file that can be scored, and drew '(a .json part of JSON Lines with --format jsonl)'.
  it("leaves a run's summary JSON out of the files a folder holds that can be scored", () => {
    const out = path.join(temp.dir, 'out-summary');
    mkdirSync(out);
    for (const name of ['a.scored.csv', 'a.summary.json', 'a.scored.csv.summary.json']) writeFileSync(path.join(out, name), '{}\n');
    expect(() => openInput(out, { gzip: false })).toThrow(`cannot read input file '${out}': it is a folder, not a file; it holds one file that can be scored: give its path, ${path.join(out, 'a.scored.csv')}`);
  });

  it.skipIf(process.getuid?.() === 0)('reports a permission problem (skipped as root, who may read anything)', () => {
    const locked = temp.file('locked.csv', 'a\n');
    chmodSync(locked, 0o000);
    expect(() => openInput(locked, { gzip: false })).toThrow(/permission denied \(EACCES\)/);
  });

  it('reports a corrupt gzip file as an InputError while reading', async () => {
    const broken = temp.file('broken.csv.gz', Buffer.from('this is not gzip at all'));
    const error = await bytesOf(openInput(broken, { gzip: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^cannot decompress '.*broken\.csv\.gz' as gzip: incorrect header check; check that it is a complete \.gz file$/);
    const whole = gzipSync(content);
    const truncated = temp.file('truncated.csv.gz', whole.subarray(0, whole.length - 20));
    await expect(bytesOf(openInput(truncated, { gzip: true }))).rejects.toThrow(/as gzip: unexpected end of file/);
    // A .tgz read under --format is told of the name it has: it was "check that it is a complete .gz file".
    for (const name of ['plain.tgz', 'PLAIN.TGZ']) {
      const tgz = temp.file(name, Buffer.from('id,text\n1,great\n'));
      await expect(bytesOf(openInput(tgz, { gzip: true }))).rejects.toThrow(new RegExp(`incorrect header check; check that it is a complete \\${name.slice(-4)} file$`));
    }
    const cutTgz = temp.file('cut.tgz', whole.subarray(0, whole.length - 20));
    await expect(bytesOf(openInput(cutTgz, { gzip: true }))).rejects.toThrow(/unexpected end of file; the \.tgz file ends before its compressed data does/);
  });

  it('refuses to seek standard input', () => {
    expect(() => openInput('-', { gzip: false, startOffset: 10 })).toThrow(/cannot resume standard input at byte 10/);
  });
});

describe('inputIdentity', () => {
  it('hashes the first and last 64 KiB', async () => {
    const content = Buffer.alloc(200_000);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7) % 251;
    const file = temp.file('identity.bin', content);
    const identity = await inputIdentity(file);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(identity.size).toBe(200_000);
    expect(identity.headHash).toBe(sha(content.subarray(0, 65_536)));
    expect(identity.tailHash).toBe(sha(content.subarray(200_000 - 65_536)));
    expect(identity.mtimeMs).toBeGreaterThan(0);
  });

  it('hashes a small file whole, twice', async () => {
    const file = temp.file('small.csv', 'a,b\n');
    const identity = await inputIdentity(file);
    expect(identity.headHash).toBe(identity.tailHash);
    expect(identity.size).toBe(4);
  });

  it('reports a missing file as an InputError', async () => {
    await expect(inputIdentity(`${temp.dir}/gone.csv`)).rejects.toThrow(/no such file or directory \(ENOENT\)/);
  });
});
