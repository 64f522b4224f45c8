import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../src/errors.js';
import { readCsvHeader } from '../src/io/csv-reader.js';
import { detectFormat } from '../src/io/format.js';
import { defaultOutputPath } from '../src/config/resolve.js';
import { refuseNotJsonLines, sampleJsonl } from '../src/preflight/jsonl-sample.js';
import { tempDir } from './io-helpers.js';
import { runCli } from './support/cli.js';

const temp = tempDir();
afterAll(() => temp.cleanup());

const READS = 'sentiment-batch reads one CSV, TSV or JSONL file, plain or gzip-compressed (.gz)';

/** A POSIX tar of one file: a 512-byte header (its name, "ustar" at 257), the content padded to 512, two zero blocks. */
function tarOf(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'latin1');
  header.write('0000644\0', 100, 'latin1');
  header.write(`${Buffer.byteLength(content).toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('ustar\u000000', 257, 'latin1');
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512);
  body.write(content);
  return Buffer.concat([header, body, Buffer.alloc(1024)]);
}

/** A v7 tar of one file (`tar --format=v7`): no "ustar" at 257, only the header's checksum says it is one. */
function v7TarOf(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'latin1');
  header.write('0000644\0', 100, 'latin1');
  header.write(`${Buffer.byteLength(content).toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('15305120700\0', 136, 'latin1');
  header.write('0', 156, 'latin1');
  header.write('        ', 148, 'latin1');
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512);
  body.write(content);
  return Buffer.concat([header, body, Buffer.alloc(1024)]);
}

/**
 * `score export.tar.gz --format csv` was told "the header row contains NUL bytes: the file looks like UTF-16 … iconv
 * -f UTF-16LE": --format skipped the archive check by name, and the bytes (a tar header, NUL-padded) read as UTF-16.
 */
describe('a tar archive under --format gets the archive advice, not the UTF-16 one', () => {
  it('is refused by its name without --format, and a plain .tar with it too', () => {
    for (const name of ['e.tar.gz', 'e.tgz', 'e.tar']) {
      expect(() => detectFormat(name)).toThrow(ConfigError);
      expect(() => detectFormat(name)).toThrow(`'${name}' is a tar archive: ${READS}: extract it (tar -xf ${name}) and score the file inside`);
    }
    expect(() => detectFormat('e.tar', 'csv')).toThrow(`'e.tar' is a tar archive: ${READS}: extract it (tar -xf e.tar) and score the file inside`);
    // A compression other than gzip under --format still reads its bytes (utf8-check.ts says what they are).
    expect(detectFormat('e.csv.bz2', 'csv')).toEqual({ format: 'csv', gzip: false });
  });

  // A gzip CSV misnamed x.tar.gz or x.tgz was refused by its name even with --format csv, which says what is inside
  // (an earlier version read it). Under --format such a name is read as gzip and its bytes decide: a real tar inside is
  // told by them (tarByBytes), with the same advice.
  it('with --format, a .tar.gz or .tgz is read as gzip and judged by its content', () => {
    expect(detectFormat('e.tar.gz', 'csv')).toEqual({ format: 'csv', gzip: true });
    expect(detectFormat('E.TGZ', 'jsonl')).toEqual({ format: 'jsonl', gzip: true });
  });

  // A gzip CSV misnamed .tar.gz, given without --format, was told "is a tar archive: ... extract it (tar -xf ...)", which
  // fails on it, with no word that --format csv reads it. Its bytes now say so; a real tar keeps the archive refusal.
  it('without --format, a gzip CSV or JSONL named .tar.gz or .tgz is told that --format reads it', () => {
    const csv = temp.file('export.tar.gz', gzipSync('id,review\n1,great stuff\n'));
    expect(() => detectFormat(csv)).toThrow(
      new ConfigError(`'${csv}' is named as a tar archive but is one gzip-compressed file, not a tar: --format csv reads a gzip CSV so named (add it), or name it ${temp.dir}/export.csv.gz`),
    );
    const jsonl = temp.file('events.TGZ', gzipSync('{"text":"great"}\n'));
    expect(() => detectFormat(jsonl, undefined, '--input-format')).toThrow(/not a tar: --input-format jsonl reads a gzip JSONL so named \(add it\), or name it .*events\.jsonl\.gz$/);
    // Saved as UTF-16 (NUL bytes in its text, a byte-order mark first): --format reads it, and then says to convert it.
    for (const [name, bytes] of [['le.tar.gz', Buffer.from('\uFEFFid\treview\n1\tgreat\n', 'utf16le')], ['be.tgz', Buffer.from('\uFEFFid,review\n1,great\n', 'utf16le').swap16()]] as const) {
      expect(() => detectFormat(temp.file(name, gzipSync(bytes)))).toThrow(name === 'le.tar.gz' ? /not a tar: --format tsv reads a gzip TSV/ : /not a tar: --format csv reads a gzip CSV/);
    }
    // Named for its format already (`reviews.csv.tar.gz`): the name offered is `reviews.csv.gz`, not `reviews.csv.csv.gz`.
    const named = temp.file('reviews.CSV.tgz', gzipSync('id,review\n1,great stuff\n'));
    expect(() => detectFormat(named)).toThrow(/, or name it .*\/reviews\.CSV\.gz$/);
    // A real tar inside, a file that is no gzip, and one that is not there: the refusal by name.
    for (const file of [temp.file('real.tgz', gzipSync(tarOf('r.csv', 'id,text\n1,a\n'))), temp.file('plain.tar.gz', 'id,text\n1,a\n'), path.join(temp.dir, 'gone.tgz')]) {
      expect(() => detectFormat(file)).toThrow(`'${file}' is a tar archive: ${READS}`);
    }
  });

  // `gzip < /dev/null > empty.tgz` was told "is a tar archive: … extract it (tar -xf empty.tgz)": it holds no tar, only
  // nothing compressed. A .tgz cut short in its first bytes (no end to its stream) is not called empty: it keeps the refusal.
  it('without --format, an empty file gzip-compressed and named .tgz is told it is that, not a tar', () => {
    for (const name of ['empty.tgz', 'Empty.TAR.GZ']) {
      const file = temp.file(name, gzipSync(Buffer.alloc(0)));
      expect(() => detectFormat(file)).toThrow(
        new ConfigError(`'${file}' is named as a tar archive but is an empty file compressed with gzip (it decompresses to nothing), not a tar: there is nothing in it to score`),
      );
    }
    const cut = temp.file('cut.tgz', gzipSync(tarOf('r.csv', 'id,text\n1,a\n')).subarray(0, 10)); // its gzip header alone
    expect(() => detectFormat(cut)).toThrow(`'${cut}' is a tar archive: ${READS}`);
  });

  // The default output is the format's plain text: named x.scored.tgz or x.scored.tar, it was a CSV named as an archive
  // (which the next `score` refuses by its name).
  it('its default output is named for the format, not as an archive', () => {
    expect(defaultOutputPath('/d/x.tgz', 'csv')).toBe('/d/x.scored.csv');
    expect(defaultOutputPath('/d/x.tar.gz', 'jsonl')).toBe('/d/x.scored.jsonl');
    expect(defaultOutputPath('/d/X.TAR.GZ', 'tsv')).toBe('/d/X.scored.tsv');
  });

  it('the CLI scores a gzip CSV so misnamed under --format, and still gives a real tar.gz the archive advice', async () => {
    const csv = 'id,review\n1,great stuff\n2,awful thing\n';
    for (const name of ['misnamed.tar.gz', 'misnamed.tgz']) {
      const scored = await runCli(['score', temp.file(name, gzipSync(csv)), '--format', 'csv', '--text-column', 'review', '-o', path.join(temp.dir, `${name}.out.csv`), '--backend', 'embedded']);
      expect(scored.stderr).not.toMatch(/tar archive/);
      expect(scored.code).toBe(0);
      expect(readFileSync(path.join(temp.dir, `${name}.out.csv`), 'utf8')).toMatch(/^id,review,sentiment_label,/);
    }
    for (const name of ['real.tar.gz', 'real.tgz']) {
      const refused = await runCli(['score', temp.file(name, gzipSync(tarOf('reviews.csv', csv))), '--format', 'csv', '--text-column', 'review', '-o', path.join(temp.dir, `${name}.out.csv`), '--backend', 'embedded']);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`the input is a tar archive, not text: ${READS}: extract it (tar -xf FILE) and score the file inside`);
    }
  });

  it('is told by its bytes when its name does not say it (a .gz, standard input)', async () => {
    const tar = tarOf('reviews.csv', 'id,text\n1,great\n');
    const csv = await readCsvHeader(temp.file('export.gz', gzipSync(tar)), { gzip: true, delimiter: ',' }).catch((e: unknown) => e);
    expect(csv).toBeInstanceOf(InputError);
    expect((csv as Error).message).toBe(`the input is a tar archive, not text: ${READS}: extract it (tar -xf FILE) and score the file inside`);
    const sample = await sampleJsonl(temp.file('export.jsonl.gz', gzipSync(tarOf('r.jsonl', '{"text":"great"}\n'))), true, ['text']);
    expect(() => refuseNotJsonLines(sample)).toThrow(/: the input is a tar archive, not text: .*extract it \(tar -xf FILE\) and score the file inside$/);
  });

  // A v7 tar (tar --format=v7: no "ustar" at byte 257) in a .tgz read under --format csv was told "the header row
  // contains NUL bytes: the file looks like UTF-16 ... iconv -f UTF-16LE": its header's checksum tells it now.
  it('tells a v7 (pre-POSIX) tar by its header checksum, and no text for one', async () => {
    const v7 = v7TarOf('file.csv', 'id,text\n1,great\n');
    expect(v7.subarray(257, 262).toString('latin1')).not.toBe('ustar');
    const csv = await readCsvHeader(temp.file('x.tgz', gzipSync(v7)), { gzip: true, delimiter: ',' }).catch((e: unknown) => e);
    expect(csv).toBeInstanceOf(InputError);
    expect((csv as Error).message).toBe(`the input is a tar archive, not text: ${READS}: extract it (tar -xf FILE) and score the file inside`);
    const sample = await sampleJsonl(temp.file('v7.jsonl.gz', gzipSync(v7TarOf('r.jsonl', '{"text":"great"}\n'))), true, ['text']);
    expect(() => refuseNotJsonLines(sample)).toThrow(/: the input is a tar archive, not text: /);
    // One byte of the header changed: the checksum no longer holds, so it is no tar (the UTF-16 advice, as before).
    const broken = Buffer.from(v7);
    broken[0] = 0x67;
    const notTar = await readCsvHeader(temp.file('broken.gz', gzipSync(broken)), { gzip: true, delimiter: ',' }).catch((e: unknown) => e);
    expect((notTar as Error).message).not.toMatch(/tar archive/);
  });
});
