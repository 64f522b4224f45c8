import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { expectCleanError } from './support/e2e-dir.js';

// A Windows-1252 / Latin-1 export (Excel's "CSV (semicolon delimited)" on a European Windows) is refused with the
// iconv that converts it. The line said `e.g. iconv -f windows-1252 -t utf-8`, naming no file: for a .gz export that
// command, run on the file, converts the compressed bytes. It names the user's file now, as a UTF-16 refusal does
// (io/utf16-advice.ts), through gunzip for a .gz, and the copy it writes scores.
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
const csv = 'id;avis\r\n1;Très bon produit, généreux\r\n2;Nul, déçu\r\n';

describe('a Windows-1252 / Latin-1 input: the iconv that converts it names the file', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'avis.csv'), latin1(csv));
    writeFileSync(path.join(dir, 'export 2026.csv.gz'), gzipSync(latin1(csv)));
    writeFileSync(path.join(dir, 'reviews.jsonl'), latin1('{"text":"café was great"}\n'));
    // One Latin-1 'é' ends the file: read as a multi-byte character cut short.
    writeFileSync(path.join(dir, 'last.csv'), latin1('id,text\n1,great café'));
  });
  afterAll(() => cleanup());

  const refusal = async (args: string[]): Promise<string> => {
    const r = await runCli([...args, '--backend', 'embedded'], { cwd: dir });
    expectCleanError(r.stderr);
    expect(r.code).toBe(3);
    return r.stderr;
  };

  it('a CSV, a JSON Lines file, a last character cut short', async () => {
    expect(await refusal(['score', 'avis.csv', '--delimiter', ';', '--text-column', 'avis'])).toContain(
      'input is not valid UTF-8 at byte 13 (byte 0xe8 after "1;Tr"; the file is probably in another encoding such as Windows-1252 or Latin-1: convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 avis.csv > avis-utf8.csv)\n',
    );
    expect(await refusal(['score', 'reviews.jsonl'])).toContain('convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 reviews.jsonl > reviews-utf8.jsonl)\n');
    expect(await refusal(['score', 'last.csv'])).toContain('a complete file in another encoding: convert it to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 last.csv > last-utf8.csv\n');
  });

  it('a gzip export whose name needs quoting: the command it names (through gunzip) writes a copy that scores', async () => {
    const said = await refusal(['score', 'export 2026.csv.gz', '--delimiter', ';', '--text-column', 'avis']);
    expect(said).toContain("convert it to UTF-8, e.g. gunzip -c 'export 2026.csv.gz' | iconv -f WINDOWS-1252 -t UTF-8 > 'export 2026-utf8.csv')\n");
    const command = /e\.g\. (.*)\)\n/.exec(said)?.[1];
    expect(command).toBeDefined();
    execFileSync('sh', ['-c', command!], { cwd: dir });
    const r = await runCli(['score', 'export 2026-utf8.csv', '--delimiter', ';', '--text-column', 'avis', '--backend', 'embedded'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rows 2: scored 2, skipped 0, failed 0');
  });
});
