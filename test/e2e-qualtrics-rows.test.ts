import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { qualtricsRowsWarning } from '../src/preflight/qualtrics-rows.js';

// Qualtrics' CSV export has three header rows: the column ids (Q1, Q2), the question text, and {"ImportId":"QID2_TEXT"}.
// Read with the first as the header, the other two were scored as responses (the question 'What could we do better?'
// NEGATIVE, the ImportId JSON NEGATIVE), exit 0, nothing said: in a survey of 30 answers, 2 of 32 labels nobody wrote.
const SURVEY =
  'StartDate,ResponseId,Q1,Q2\r\n' +
  'Start Date,Response ID,How likely are you to recommend us?,What could we do better?\r\n' +
  '"{""ImportId"":""startDate"",""timeZone"":""America/Denver""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}"\r\n' +
  '2026-11-01 10:00:00,R_1abc,9,Nothing really. Great service!\r\n' +
  '2026-11-02 10:00:00,R_2abc,3,The delivery was late and support was rude.\r\n';

describe("Qualtrics' second and third header rows: said at start-up", () => {
  const { file, path: inDir } = useTempDir();

  it('names the rows, what they are, and the line that removes them', () => {
    expect(qualtricsRowsWarning(['What could we do better?', '{"ImportId":"QID2_TEXT"}', 'Great', 'Late'], "--text-column 'Q2'", true)).toBe(
      "--text-column 'Q2' is '{\"ImportId\":\"QID2_TEXT\"}' in a row of the first 4: a Qualtrics export, whose three header rows are the " +
        "column ids, the question text and this ImportId row; the two below the first are scored, and billed with Workers AI, as " +
        'responses, the question too; remove them first, e.g. python3 -c \'import csv, sys; rows = list(csv.reader(open(sys.argv[1], ' +
        'newline="", encoding="utf-8-sig"))); csv.writer(sys.stdout, lineterminator="\\r\\n").writerows(rows[:1] + rows[3:])\' export.csv > export-data.csv',
    );
    // A review that mentions the word, or JSON of another shape, is text.
    expect(qualtricsRowsWarning(['the ImportId field was empty', '{"id":"QID2"}'], "--text-column 'Q2'", true)).toBeUndefined();
    expect(qualtricsRowsWarning(['{"ImportId":"QID1"}'], "--text-column 'Q1'", false)).toContain('are scored as responses, the question too');
  });

  it('score warns on a Qualtrics export, and reads its rows as before', async () => {
    const csv = file('survey.csv', SURVEY);
    const score = await runCli(['score', csv, '--text-column', 'Q2', '-o', inDir('survey.scored.csv'), '--log-format', 'json']);
    expect(score.code).toBe(0);
    expect(score.stderr).toMatch(/"level":40,[^\n]*"msg":"--text-column 'Q2' is '\{\\"ImportId\\":\\"QID2_TEXT\\"\}' in a row of the first 4: a Qualtrics export/);
    expect(readFileSync(inDir('survey.scored.csv'), 'utf8').split('\r\n')).toHaveLength(6);
  });

  it('the summary ends with it, --summary-json holds it, and the Already done rerun says it again, as the language warning', async () => {
    // Said at start-up only before: a scheduled run's log scrolls past it, the summary and --summary-json are what is read.
    const csv = file('survey2.csv', SURVEY);
    const summaryPath = inDir('survey2.summary.json');
    const args = ['score', csv, '--text-column', 'Q2', '-o', inDir('survey2.scored.csv'), '--summary-json', summaryPath, '--log-level', 'error'];
    const warning = qualtricsRowsWarning(['What could we do better?', '{"ImportId":"QID2_TEXT"}', 'Nothing really. Great service!', 'The delivery was late and support was rude.'], "--text-column 'Q2'", false);
    for (const status of ['done', 'already-done']) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`  ${warning}`);
      expect(JSON.parse(readFileSync(summaryPath, 'utf8'))).toMatchObject({ status, warning });
    }
  });
});
