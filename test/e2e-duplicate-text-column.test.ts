import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { scoreInBuiltProcess } from './support/score-in-built-process.js';

/**
 * A header with the text column twice is refused, exit 2: "rename one of them" said nothing of how, for an export the
 * user cannot edit (newuser18). The tool names columns, not numbers (io/numbered-column.ts), so the refusal names a
 * command that writes a renamed copy; run as it is said, its copy scores. The refusals are spawned (their exit code and
 * standard error are the subject); the copies are scored in this process (support/score-in-built-process.ts), their
 * summary read: that the copy's rows are read and scored is the subject, not how a run ends.
 */
/** Each line ending an export's rows may have, by name. */
const LINE_ENDINGS: Array<[string, string]> = [
  ['LF', '\n'],
  ['CRLF', '\r\n'],
  ['CR-only', '\r'],
];

describe('a header with the text column twice', () => {
  const dir = useTempDir();

  /** The command the refusal names: between "cannot edit: " and " names column". */
  const commandOf = (stderr: string) => /cannot edit: (.+) names column/.exec(stderr)?.[1];

  it('names a one-line command that writes a copy with the later one renamed; the copy then scores', async () => {
    writeFileSync(dir.path('in.csv'), 'id,review,review\n1,great phone,bad box\n2,awful,fine\n');
    const refused = await runCli(['score', 'in.csv', '--text-column', 'review'], { cwd: dir.path('.') });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      "sentiment-batch: --text-column 'review' is ambiguous: the header has it 2 times (columns 2, 3); rename one of them, or, for an export you cannot edit: awk -F',' -v OFS=',' 'NR==1{$3=\"review_3\"}1' in.csv > in-renamed.csv names column 3 'review_3' in a copy, to read in its place\n",
    );
    execFileSync('sh', ['-c', commandOf(refused.stderr) as string], { cwd: dir.path('.') });
    expect(readFileSync(dir.path('in-renamed.csv'), 'utf8')).toBe('id,review,review_3\n1,great phone,bad box\n2,awful,fine\n');
    const scored = await scoreInBuiltProcess([dir.path('in-renamed.csv'), '--text-column', 'review', '-o', dir.path('out.csv')]);
    expect(scored.code).toBe(0);
  });

  it('a gzipped, tab-separated export: the command reads it through gunzip, split at tabs', async () => {
    writeFileSync(dir.path('in.tsv.gz'), gzipSync('review\tid\treview\treview\nok\t1\tgood\tbad\n'));
    const refused = await runCli(['score', 'in.tsv.gz', '--text-column', 'review'], { cwd: dir.path('.') });
    expect(refused.code).toBe(2);
    const command = commandOf(refused.stderr);
    expect(command).toBe("{ gunzip -c in.tsv.gz; echo; } | awk -F'\\t' -v OFS='\\t' 'NR==1{$3=\"review_3\";$4=\"review_4\"}{printf \"%s%s\", (NR>1 ? ORS : \"\"), $0}' > in-renamed.tsv");
    execFileSync('sh', ['-c', command as string], { cwd: dir.path('.') });
    expect(readFileSync(dir.path('in-renamed.tsv'), 'utf8')).toBe('review\tid\treview_3\treview_4\nok\t1\tgood\tbad\n');
  });

  it('a quoted header awk would not split as the reader does: the refusal as it was', async () => {
    writeFileSync(dir.path('in.csv'), '"id,key",review,review\n1,great,bad\n');
    const refused = await runCli(['score', 'in.csv', '--text-column', 'review'], { cwd: dir.path('.') });
    expect(refused.stderr).toBe("sentiment-batch: --text-column 'review' is ambiguous: the header has it 2 times (columns 2, 3); rename one of them\n");
  });

  /** The copy the refusal's command writes of an in.csv (in.csv.gz, gzipped) of `content`, run as it is said. */
  async function renamedCopyOf(content: string, gzip = false): Promise<string> {
    const input = gzip ? 'in.csv.gz' : 'in.csv';
    writeFileSync(dir.path(input), gzip ? gzipSync(content) : content);
    const refused = await runCli(['score', input, '--text-column', 'review'], { cwd: dir.path('.') });
    expect(refused.code).toBe(2);
    execFileSync('sh', ['-c', commandOf(refused.stderr) as string], { cwd: dir.path('.') });
    return readFileSync(dir.path('in-renamed.csv'), 'utf8');
  }

  it('a CRLF export whose last column is renamed: the copy keeps the header\'s CRLF', async () => {
    expect(await renamedCopyOf('id,review,review\r\n1,great phone,bad box\r\n2,awful,fine\r\n')).toBe('id,review,review_3\r\n1,great phone,bad box\r\n2,awful,fine\r\n');
  });

  it('a CRLF export whose renamed column is not its last: the new name holds no CR', async () => {
    expect(await renamedCopyOf('id,review,review,note\r\n1,great phone,bad box,x\r\n')).toBe('id,review,review_3,note\r\n1,great phone,bad box,x\r\n');
  });

  // The copy is the export byte for byte but the header's renamed name: a last row without a line break stays without one
  // (awk ended it with one: a CR-only export's copy gained a CR, review62), and `score` reads its 2 rows.
  it.each(LINE_ENDINGS)('%s, with and without a final line break: the copy keeps the last byte as it was', async (_, eol) => {
    for (const end of [eol, '']) {
      const rows = `1,great phone,bad box${eol}2,awful,fine${end}`;
      expect(await renamedCopyOf(`id,review,review${eol}${rows}`)).toBe(`id,review,review_3${eol}${rows}`);
      const scored = await scoreInBuiltProcess([dir.path('in-renamed.csv'), '--text-column', 'review', '--backend', 'embedded', '-o', dir.path('out.csv'), '--restart']);
      expect(scored.code).toBe(0);
      expect(scored.stdout).toContain('rows 2: scored 2, skipped 0, failed 0');
    }
  });

  // A gzipped export's copy ended with a line break whatever the export's last byte was: awk ends every record it prints
  // with one, and the export is not read to its end to tell (lowfix58). The copy is the export byte for byte but the name.
  it.each(LINE_ENDINGS)('a gzipped %s export, with and without a final line break: the copy keeps the last byte as it was', async (_, eol) => {
    // The rows of the plain export's copy, which score above: the gzipped one's copy is that copy byte for byte.
    for (const end of [eol, '']) {
      const rows = `1,great phone,bad box${eol}2,awful,fine${end}`;
      expect(await renamedCopyOf(`id,review,review${eol}${rows}`, true)).toBe(`id,review,review_3${eol}${rows}`);
    }
    // A header alone, without a line break: no row to score, the header's name renamed all the same.
    expect(await renamedCopyOf('id,review,review', true)).toBe('id,review,review_3');
  });

  it('a CR-only export (an old Mac Excel\'s): the copy is its rows with the header renamed, each row its own', async () => {
    expect(await renamedCopyOf('id,review,review\r1,great phone,bad box\r2,awful,fine\r')).toBe('id,review,review_3\r1,great phone,bad box\r2,awful,fine\r');
    const scored = await scoreInBuiltProcess([dir.path('in-renamed.csv'), '--text-column', 'review', '--backend', 'embedded', '-o', dir.path('out.csv')]);
    expect(scored.code).toBe(0);
    expect(scored.stdout).toContain('rows 2: scored 2, skipped 0, failed 0');
  });
});
