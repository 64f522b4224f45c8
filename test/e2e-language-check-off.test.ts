import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

// A team that scores a mixed-language export on purpose got the other-language warning every night, at start-up and as
// the summary's `warning` (which its nightly check reads), with no way to say it knows: --language-check off
// ("languageCheck": "off") turns the check off; the default stays on.
describe('--language-check off: the other-language warning turned off on purpose', () => {
  const { file, path: inDir } = useTempDir();
  const csv = (): string => file('de.csv', 'id,review\n1,"Sehr gut verarbeitet, schnelle Lieferung."\n2,"Leider nicht wie beschrieben, sehr schlecht."\n');

  it('score, its job file and estimate say nothing of language; the rows are scored as before', async () => {
    const input = csv();
    const summaryPath = inDir('off.summary.json');
    const score = await runCli(['score', input, '--text-column', 'review', '-o', inDir('off.csv'), '--language-check', 'off', '--log-format', 'json', '--summary-json', summaryPath]);
    expect(score.code).toBe(0);
    expect(score.stdout).toContain('rows 2: scored 2, skipped 0, failed 0');
    expect(score.stdout + score.stderr).not.toContain('another language');
    expect((JSON.parse(readFileSync(summaryPath, 'utf8')) as { warning?: string }).warning).toBeUndefined();
    // Its rerun, already done, says nothing either.
    const again = await runCli(['score', input, '--text-column', 'review', '-o', inDir('off.csv'), '--language-check', 'off', '--summary-json', summaryPath]);
    expect(again.stdout).toMatch(/^Already done/);
    expect((JSON.parse(readFileSync(summaryPath, 'utf8')) as { warning?: string }).warning).toBeUndefined();
    const job = file('job.json', JSON.stringify({ input, textColumn: 'review', output: inDir('job.csv'), languageCheck: 'off' }));
    const run = await runCli(['run', job, '--log-format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('another language');
    const estimate = await runCli(['estimate', input, '--text-column', 'review', '--language-check', 'off']);
    expect(estimate.code).toBe(0);
    expect(estimate.stderr).not.toContain('another language');
    // On, given or by default, it warns, naming the way to turn it off: in a job-file run, the key to add.
    const onJob = file('on-job.json', JSON.stringify({ input, textColumn: 'review', output: inDir('on-job.csv') }));
    const runOn = await runCli(['run', onJob, '--log-format', 'json']);
    expect(runOn.stdout).toContain('to score a mixed-language export on purpose without this warning, add "languageCheck": "off" to the job file');
    const on = await runCli(['estimate', input, '--text-column', 'review', '--language-check', 'on']);
    expect(on.stderr).toContain("--text-column 'review' looks written in another language than English in 2 of the first 2 texts");
    expect(on.stderr).toContain('to score a mixed-language export on purpose without this warning, run with --language-check off');
  });

  // Letters from a font generator (styled-letters.ts) were warned of at start-up only, whatever --language-check said: not
  // in the summary a nightly check reads, and not turned off with the language warning. Both as the language warning now.
  it('the font-generator warning is in the summary too, and --language-check off turns it off', async () => {
    const input = file('bold.csv', 'id,review\n1,"\u{1D406}\u{1D42B}\u{1D41E}\u{1D41A}\u{1D42D} \u{1D41A}\u{1D429}\u{1D429}"\n2,"The sound is great and the battery lasts."\n');
    const summaryPath = inDir('bold.summary.json');
    const warningOf = (): string | undefined => (JSON.parse(readFileSync(summaryPath, 'utf8')) as { warning?: string }).warning;
    const score = await runCli(['score', input, '--text-column', 'review', '-o', inDir('bold-on.csv'), '--summary-json', summaryPath]);
    expect(score.code).toBe(0);
    const said = "--text-column 'review' is written in Unicode's mathematical letters (bold or italic text from a font generator) in 1 of the first 2 texts";
    expect(score.stderr).toContain(said);
    expect(score.stderr).toContain('to score such texts as they are without this warning, run with --language-check off');
    expect(warningOf()).toContain(said);
    // Its rerun, already done, says it again, as of another language.
    const again = await runCli(['score', input, '--text-column', 'review', '-o', inDir('bold-on.csv'), '--summary-json', summaryPath]);
    expect(again.stdout).toMatch(/^Already done/);
    expect(warningOf()).toContain(said);
    const off = await runCli(['score', input, '--text-column', 'review', '-o', inDir('bold-off.csv'), '--language-check', 'off', '--summary-json', summaryPath]);
    expect(off.code).toBe(0);
    expect(off.stdout + off.stderr).not.toContain('mathematical letters');
    expect(warningOf()).toBeUndefined();
    const estimate = await runCli(['estimate', input, '--text-column', 'review', '--language-check', 'off']);
    expect(estimate.stderr).not.toContain('mathematical letters');
  });

  // Both warnings applying, the summary held the other-language one only: its last line, --summary-json's `warning`, the
  // JSON log's warn line and the Already done rerun's. Each is said now, the language one first; `warning` holds both,
  // one a line, and `warnings` each.
  it('reviews in another language and in styled letters: the summary says both warnings', async () => {
    const bold = '\u{1D406}\u{1D42B}\u{1D41E}\u{1D41A}\u{1D42D} \u{1D41A}\u{1D429}\u{1D429} \u{1D425}\u{1D428}\u{1D42F}\u{1D41E} \u{1D422}\u{1D42D}';
    const input = file('both.csv', `id,review\n1,"Sehr gut verarbeitet, schnelle Lieferung."\n2,"${bold}"\n3,"The sound is great and the battery lasts."\n`);
    const summaryPath = inDir('both.summary.json');
    const read = (): { warning?: string; warnings?: string[] } => JSON.parse(readFileSync(summaryPath, 'utf8')) as { warning?: string; warnings?: string[] };
    const language = "--text-column 'review' looks written in another language than English in 1 of the first 3 texts";
    const letters = "--text-column 'review' is written in Unicode's mathematical letters (bold or italic text from a font generator) in 1 of the first 3 texts";
    const score = await runCli(['score', input, '--text-column', 'review', '-o', inDir('both.csv.out'), '--summary-json', summaryPath]);
    expect(score.code).toBe(0);
    const tail = score.stdout.split('\n').slice(-3);
    expect(tail[0]).toMatch(new RegExp(`^  ${language.replace(/[()']/g, '.')}`));
    expect(tail[1]).toMatch(new RegExp(`^  ${letters.replace(/[()']/g, '.')}`));
    const { warning, warnings } = read();
    expect(warnings).toHaveLength(2);
    expect(warnings![0]).toContain(language);
    expect(warnings![1]).toContain(letters);
    expect(warning).toBe(warnings!.join('\n'));
    // The rerun, already done, says both again; a JSON log gives each its own warn line.
    const again = await runCli(['score', input, '--text-column', 'review', '-o', inDir('both.csv.out'), '--summary-json', summaryPath, '--log-format', 'json']);
    expect(again.stdout).toMatch(/^Already done|"already-done"/);
    expect(read().warnings).toEqual(warnings);
    const warnLines = (again.stdout + again.stderr).split('\n').filter((line) => line.startsWith('{"level":40'));
    // Each said at start-up and at the end: twice each (the end said the language one only).
    expect(warnLines.filter((line) => line.includes('mathematical letters')).length).toBe(2);
    expect(warnLines.filter((line) => line.includes('another language')).length).toBe(2);
  });

  it('a value other than on or off is exit 2 saying what it expects', async () => {
    const input = csv();
    const bad = await runCli(['score', input, '--text-column', 'review', '--language-check', 'no']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--language-check expects one of on, off, got 'no'");
    const job = file('bad-job.json', JSON.stringify({ input, textColumn: 'review', languageCheck: false }));
    const badJob = await runCli(['run', job]);
    expect(badJob.code).toBe(2);
    expect(badJob.stderr).toContain('"languageCheck" expects one of on, off, got false');
  });
});
