import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * gzip piped to standard input (`gzip -c x.csv | sentiment-batch score - --format csv`) is read as a .gz file is:
 * told by its first bytes (1f 8b), which no UTF-8 text starts with. It was refused as "not valid UTF-8 at byte 1
 * (it is gzip-compressed: … decompress it first)".
 */
describe('gzip on standard input', () => {
  let dir: string;
  let cleanup: () => void;
  const csv = 'id,text\n1,great product\n2,terrible service\n3,\n';
  const jsonl = '{"id":1,"text":"great product"}\n{"id":2,"text":"terrible service"}\n';
  const score = (output: string, format: string) => ['score', '-', '--format', format, '--backend', 'embedded', '-o', output, '--log-level', 'warn'];

  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());

  it('scores a gzip CSV piped in as its plain twin is scored', async () => {
    const plain = await runCli(score(path.join(dir, 'plain.csv'), 'csv'), { input: csv });
    expect(plain.code, plain.stderr).toBe(0);
    const zipped = await runCli(score(path.join(dir, 'zipped.csv'), 'csv'), { input: gzipSync(csv) });
    expect(zipped.stderr).toBe(plain.stderr);
    expect(zipped.code).toBe(0);
    expect(readFileSync(path.join(dir, 'zipped.csv'), 'utf8')).toBe(readFileSync(path.join(dir, 'plain.csv'), 'utf8'));
  });

  it('reads concatenated gzip members and JSONL, as a .gz file', async () => {
    const half = jsonl.indexOf('\n') + 1;
    const members = Buffer.concat([gzipSync(jsonl.slice(0, half)), gzipSync(jsonl.slice(half))]);
    const zipped = await runCli(score(path.join(dir, 'zipped.jsonl'), 'jsonl'), { input: members });
    expect(zipped.code, zipped.stderr).toBe(0);
    const lines = readFileSync(path.join(dir, 'zipped.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { id: number }).id)).toEqual([1, 2]);
  });

  it('estimate reads it too', async () => {
    const plain = await runCli(['estimate', '-', '--format', 'csv', '--json'], { input: csv });
    const zipped = await runCli(['estimate', '-', '--format', 'csv', '--json'], { input: gzipSync(csv) });
    expect(zipped.code, zipped.stderr).toBe(0);
    expect(JSON.parse(zipped.stdout)).toEqual(JSON.parse(plain.stdout));
  });

  it('a gzip cut short is named as standard input cut short, not as text that is not UTF-8', async () => {
    const whole = gzipSync(csv.repeat(50));
    const cut = await runCli(score(path.join(dir, 'cut.csv'), 'csv'), { input: whole.subarray(0, whole.length - 12) });
    expect(cut.code).toBe(3);
    expect(cut.stderr).toMatch(/^sentiment-batch: cannot decompress standard input as gzip: unexpected end of file; standard input ends before its compressed data does/);
    expect(cut.stderr).not.toMatch(/not valid UTF-8/);
  });

  it('a plain CSV whose text is not UTF-8 is still told so', async () => {
    writeFileSync(path.join(dir, 'latin1.csv'), Buffer.from('id,text\n1,caf\xe9\n', 'latin1'));
    const latin = await runCli(score(path.join(dir, 'latin.csv'), 'csv'), { input: readFileSync(path.join(dir, 'latin1.csv')) });
    expect(latin.code).toBe(3);
    expect(latin.stderr).toMatch(/not valid UTF-8 at byte 13/);
  });
});
