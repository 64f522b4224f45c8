import { readFileSync, symlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReportArgs } from '../src/config/report-options.js';
import { readJobFile, resolveSettings } from '../src/config/resolve.js';
import { earlierOutput } from '../src/paths/output-target.js';
import { earlierReport } from '../src/paths/report-replace.js';
import { renderHtml } from '../src/report/html-page.js';
import { writeReport } from '../src/report/index.js';
import { useTempDir } from './support/e2e-dir.js';

const HEADER = 'id,review,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n';
const EXPORT = 'id,review\n1,great phone\n2,awful\n';

/**
 * A regular file already at -o (a job file's "output", the default output), --report or report -o is replaced only
 * when it is empty, claimed by the job's checkpoint, or an earlier output/report: `score r.csv -o r.csv.bak` replaced
 * the user's backup whole, exit 0. Refused before any work, exit 2 (the CLI: test/e2e-replace-refusals.test.ts).
 */
describe('a file already where score or report writes', () => {
  const { file, path: at } = useTempDir();
  const score = (...argv: string[]) => () => resolveSettings({ flags: { output: argv[0] }, env: {}, input: file('r.csv', EXPORT) });

  it('-o naming someone\'s file is refused, naming its size and what to do; an empty file, an earlier output or a claimed one are taken', () => {
    const backup = file('r.csv.bak', EXPORT);
    expect(score(backup)).toThrow(
      `-o ${backup} is a file that is not an earlier output (${EXPORT.length} bytes, and its first line holds no scores): it would be replaced whole when the run completes; choose another -o, or delete or move that file first`,
    );
    expect(readFileSync(backup, 'utf8')).toBe(EXPORT);
    expect(score(file('empty.csv', ''))).not.toThrow();
    expect(score(file('earlier.csv', `${HEADER}1,great phone,POSITIVE,0.9,0.1,,\n`))).not.toThrow();
    // The job's checkpoint claims it (a hand-edited output, say): today's behaviour, replaced.
    const claimed = file('claimed.csv', 'edited by hand\n');
    file('claimed.csv.checkpoint.json', JSON.stringify({ version: 1, tool: 'sentiment-batch' }));
    expect(score(claimed)).not.toThrow();
    // A checkpoint of something else is no claim.
    const notClaimed = file('other.csv', 'notes\n');
    file('other.csv.checkpoint.json', JSON.stringify({ tool: 'another-tool' }));
    expect(score(notClaimed)).toThrow(/other\.csv is a file that is not an earlier output \(6 bytes/);
  });

  it('the default output and a job file\'s "output" are named as given, with the advice that fits', () => {
    const input = file('r.csv', EXPORT);
    file('r.scored.csv', 'my own notes\n');
    expect(() => resolveSettings({ flags: {}, env: {}, input })).toThrow(
      `the default output ${at('r.scored.csv')} is a file that is not an earlier output (13 bytes, and its first line holds no scores): it would be replaced whole when the run completes; name another output with -o, or delete or move that file first`,
    );
    const job = file('job.json', JSON.stringify({ input: 'r.csv' }));
    expect(() => resolveSettings({ flags: {}, jobFile: readJobFile(job), jobFilePath: job, env: {} })).toThrow(/; name another output with "output" in the job file, or delete or move that file first$/);
    const named = file('named.json', JSON.stringify({ input: 'r.csv', output: 'r.csv.bak' }));
    file('r.csv.bak', EXPORT);
    expect(() => resolveSettings({ flags: {}, jobFile: readJobFile(named), jobFilePath: named, env: {} })).toThrow(
      new RegExp(`^job file ${named}: "output" \\S+r\\.csv\\.bak is a file that is not an earlier output .*; choose another "output" in the job file, or delete or move that file first$`),
    );
  });

  it('--restart licenses no file\'s loss; a symbolic link is judged by its target', () => {
    const backup = file('r.csv.bak', EXPORT);
    expect(() => resolveSettings({ flags: { output: backup, restart: true }, env: {}, input: file('r.csv', EXPORT) })).toThrow(/is a file that is not an earlier output/);
    symlinkSync(backup, at('link.csv'));
    expect(score(at('link.csv'))).toThrow(/link\.csv is a file that is not an earlier output \(\d+ bytes/);
    symlinkSync(file('earlier.csv', HEADER), at('to-earlier.csv'));
    expect(score(at('to-earlier.csv'))).not.toThrow();
    symlinkSync(at('nothing-there'), at('dangling.csv'));
    expect(score(at('dangling.csv'))).not.toThrow();
  });

  it('an earlier output is known by its first line: any prefix, any delimiter, a BOM, quoted names, JSONL scores and errors', () => {
    const known = (content: string, delimiter?: string) => earlierOutput(file('x', content), delimiter);
    expect(known(HEADER)).toBe(true);
    expect(known('\uFEFFid;text;s2_label;s2_positive;s2_negative;s2_truncated;s2_error\r\n1;x;;;;;\r\n')).toBe(true);
    expect(known('id\ttext\tsentiment_label\tsentiment_positive\tsentiment_negative\tsentiment_truncated\tsentiment_error\n')).toBe(true);
    expect(known('a|"b|c"|"p|q_label"|"p|q_positive"|"p|q_negative"|"p|q_truncated"|"p|q_error"\n', '|')).toBe(true);
    // A delimiter the run does not name (its own --delimiter '^' or a detected '；' then): found near the header's end.
    expect(known('id^text^sentiment_label^sentiment_positive^sentiment_negative^sentiment_truncated^sentiment_error\n')).toBe(true);
    expect(known('id；text；sentiment_label；sentiment_positive；sentiment_negative；sentiment_truncated；sentiment_error\n')).toBe(true);
    expect(known('{"id":1,"text":"good","sentiment":{"label":"POSITIVE","positive":0.9,"negative":0.1}}\n{"id":2}\n')).toBe(true);
    expect(known('{"id":1,"text":"","mood":{"error":{"code":"empty_text","message":"no text"}}}\n')).toBe(true);
    expect(known('{"sentiment":{"error":{"code":"not_object","message":"…"}},"raw":"[1,2]"}\n')).toBe(true);
    // A JSONL input's blank first line is kept in the output: its first record follows.
    expect(known('\n \r\n{"id":1,"sentiment":{"label":"NEGATIVE","positive":0.1,"negative":0.9}}\n')).toBe(true);
    // Saved again by a spreadsheet that added an empty column after the last (LibreOffice, Excel): still an output.
    expect(known(`${HEADER.trimEnd()},\n1,great phone,POSITIVE,0.9,0.1,,,\n`)).toBe(true);
    expect(known(`${HEADER.trimEnd()},,\r\n`)).toBe(true);
    // An export of Excel for Mac ends its lines with CR alone, and so does its output: the header is its first line.
    expect(known(`${HEADER.trimEnd()}\r1,great phone,POSITIVE,0.9,0.1,,\r2,awful,NEGATIVE,0.1,0.9,,\r`)).toBe(true);
    // Data: an export, the columns out of order or of two prefixes, a JSONL record without a score last.
    expect(known(`${EXPORT.replace(/\n/g, '\r')}`)).toBe(false);
    expect(known('id,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error,notes\n')).toBe(false);
    expect(known(EXPORT)).toBe(false);
    expect(known('id,sentiment_label,sentiment_positive,sentiment_negative,sentiment_error,sentiment_truncated\n')).toBe(false);
    expect(known('id,a_label,a_positive,a_negative,b_truncated,b_error\n')).toBe(false);
    expect(known('{"id":1,"sentiment":{"label":"POSITIVE","positive":0.9,"negative":0.1},"text":"good"}\n')).toBe(false);
    expect(known('\u001f\u008b\u0008 gzip bytes')).toBe(false);
  });

  it('report -o, its default and score --report: replace only an empty file or an earlier report (HTML with or without its mark, JSON)', async () => {
    const scored = file('r.scored.csv', HEADER);
    const report = (...argv: string[]) => {
      const parsed = parseReportArgs([scored, ...argv]);
      if (parsed.help) throw new Error('unreachable: help');
      return writeReport(parsed.request);
    };
    const notes = file('notes.html', '<p>my notes</p>\n');
    await expect(report('-o', notes)).rejects.toThrow(`-o ${notes} is a file that is not an earlier report (16 bytes): it would be replaced whole; choose another -o, or delete or move that file first`);
    expect(readFileSync(notes, 'utf8')).toBe('<p>my notes</p>\n');
    file('r.scored.report.html', 'mine\n');
    await expect(report()).rejects.toThrow(`the default report ${at('r.scored.report.html')} is a file that is not an earlier report (5 bytes): it would be replaced whole; name the report with -o, or delete or move that file first`);
    expect(() => resolveSettings({ flags: { output: at('o.csv'), report: notes }, env: {}, input: file('r.csv', EXPORT) })).toThrow(
      /^--report \S+notes\.html is a file that is not an earlier report \(16 bytes\): it would be replaced whole; choose another --report, or delete or move that file first$/,
    );
    await report('-o', file('empty.html', ''), '--text-column', 'review');
    expect(readFileSync(at('empty.html'), 'utf8')).toMatch(/^<!doctype html>/);
    const page = await renderHtml(FIGURES);
    expect(earlierReport(file('page.html', page))).toBe(true);
    // Written before the mark: known by its title and its footer.
    expect(earlierReport(file('old.html', page.replace(/<meta name="generator"[^>]*>\n/, '')))).toBe(true);
    // ... and so when its lines end CRLF (copied through a Windows editor, or a git checkout with autocrlf).
    expect(earlierReport(file('old-crlf.html', page.replace(/<meta name="generator"[^>]*>\n/, '').replace(/\n/g, '\r\n')))).toBe(true);
    // Saved again by an editor that adds a UTF-8 byte-order mark (Notepad, "UTF-8 with BOM"): still ours, by its mark or,
    // written before it, by its title and footer (the old page's `^<!doctype` failed on the mark: refused, exit 2); a
    // page of the user's with such a BOM and only our title is not.
    const bom = '\uFEFF';
    expect(earlierReport(file('page-bom.html', bom + page))).toBe(true);
    expect(earlierReport(file('old-bom.html', bom + page.replace(/<meta name="generator"[^>]*>\n/, '')))).toBe(true);
    expect(earlierReport(file('old-bom-crlf.html', bom + page.replace(/<meta name="generator"[^>]*>\n/, '').replace(/\n/g, '\r\n')))).toBe(true);
    expect(earlierReport(file('plain-bom.html', `${bom}<!doctype html>\n<html><head>\n<title>Sentiment report — mine</title></head><body></body></html>\n`))).toBe(false);
    expect(earlierReport(file('figures.json', `${JSON.stringify(FIGURES, null, 2)}\n`))).toBe(true);
    expect(earlierReport(file('figures-bom.json', `${bom}${JSON.stringify(FIGURES, null, 2)}\n`))).toBe(true);
    // Saved again with its keys sorted (jq -S, Python's json.dump(sort_keys=True)) and another indent: still a report.
    const sorted = (value: unknown): unknown =>
      typeof value !== 'object' || value === null || Array.isArray(value) ? value : Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]));
    expect(earlierReport(file('sorted.json', `${JSON.stringify(sorted(FIGURES), null, 4)}\n`))).toBe(true);
    expect(earlierReport(file('other.json', '{"tool":"other","report":1}\n'))).toBe(false);
    expect(earlierReport(file('mine.json', '{"notes":["a"],"tool":"sentiment-batch"}\n'))).toBe(false);
    expect(earlierReport(file('plain.html', '<!doctype html>\n<html><head>\n<title>Sentiment report — mine</title></head><body></body></html>\n'))).toBe(false);
  });
});

const FIGURES = {
  tool: 'sentiment-batch' as const,
  report: 1 as const,
  input: 'r.scored.csv',
  generatedAt: '2026-12-04T08:00:00.000Z',
  model: null,
  run: null,
  totals: { rows: 0, scored: 0, skipped: 0, failed: 0, skippedByCode: {}, failedByCode: {}, negative: 0, truncated: 0, positive: { positive: 0, share: null, low: null, high: null } },
  histogram: [],
  groups: null,
  trend: null,
  rating: null,
  examples: { mostNegative: [], mostPositive: [] },
} as unknown as Parameters<typeof renderHtml>[0];
