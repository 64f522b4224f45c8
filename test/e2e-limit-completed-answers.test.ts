import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { killAtRename } from './support/kill-at-rename-env.js';
import { limitJobFixture } from './support/limit-job-fixture.js';

/**
 * A job completed at a --limit dropped the answers it had paid for past that limit (journal and `.answers` removed
 * with the rest), and a later run with a higher limit or none paid for them again (operator18: 20,000 rows killed
 * at 5 s with 863 answers in the journal, completed at --limit 415, then none: 20,463 requests). Here 300 rows are
 * paused after 100 requests, the first row's never answered, so 99 answers (rows 1-99) wait in the journal; --limit 40
 * completes with 1 request; no limit then must send only the 200 rows none of the 100 answers covers.
 */
describe('a job completed at its --limit keeps the answers paid for past it', () => {
  const job = limitJobFixture();
  const { env, score, messages } = job;

  /** A job at a fresh output completed at --limit 40, with 99 answers paid for rows 1-99 before: requests per step. */
  async function completedAtForty(): Promise<string> {
    const output = job.output('out');
    job.server.reset();
    job.server.setFaults({ rules: [{ textIncludes: 'Review number 0:', respond: { hang: true } }] });
    const paused = await runCli(score(output, '--max-requests', '100', '--grace', '500ms'), { env: env() });
    expect(paused.code, paused.stderr).toBe(75);
    expect(paused.stdout).toContain('99 of them answered, kept for the next run');
    job.server.setFaults({});
    job.server.reset();
    const limited = await runCli(score(output, '--limit', '40'), { env: env() });
    expect(limited.code, limited.stderr).toBe(0);
    expect(job.server.stats().total).toBe(1);
    return output;
  }

  async function clean(): Promise<string> {
    const output = job.output('clean');
    job.server.reset();
    const result = await runCli(score(output), { env: env() });
    expect(result.code, result.stderr).toBe(0);
    return readFileSync(output, 'utf8');
  }

  it('no limit next: only the rows none of the 100 answers covers are sent, the output a clean run\'s', async () => {
    const output = await completedAtForty();
    // Its journal keeps the 60 answers to rows 40-99 alone (header + 60 lines).
    expect(readFileSync(`${output}.journal`, 'utf8').trim().split('\n')).toHaveLength(61);
    job.server.reset();
    const all = await runCli(score(output), { env: env() });
    expect(all.code, all.stderr).toBe(0);
    expect(job.server.stats().total).toBe(200);
    expect(readFileSync(output, 'utf8')).toBe(await clean());
    // Complete without a limit: nothing is kept any more.
    expect(existsSync(`${output}.journal`)).toBe(false);
    expect(existsSync(`${output}.answers`)).toBe(false);
  });

  // lowfix27: a completed --limit job run again with a higher limit or none started over, every row written again.
  it('the job continues after the completed rows (none written again), its output a clean run\'s', async () => {
    const output = await completedAtForty();
    job.server.reset();
    const all = await runCli(score(output), { env: env() });
    expect(all.code, all.stderr).toBe(0);
    const said = messages(all.stderr);
    expect(said.some((msg) => msg.includes('starting over')), said.join('\n')).toBe(false);
    expect(said).toContain("the record limit changed (40 then, none now): the completed job's 40 rows are the first rows of this output too, so the job continues after them (its output stays as it is until this run completes)");
    expect(all.stdout).toContain('this run: rows 260: scored 260');
    expect(all.stdout).toContain('whole job across resumes: rows 300: scored 300');
    expect(job.server.stats().total).toBe(200);
    expect(readFileSync(output, 'utf8')).toBe(await clean());
  });

  // lowfix30 #5: the line said "the answers of its output are kept for this job (100 texts …)" of an output of 40 rows.
  it('a start-over under other settings keeps them, and its line counts them apart from the output\'s', async () => {
    const output = await completedAtForty();
    job.server.reset();
    const other = await runCli(score(output, '--prefix', 'mood'), { env: env() });
    expect(other.code, other.stderr).toBe(0);
    const line = messages(other.stderr).find((msg) => msg.includes('starting over')) ?? '';
    expect(line).toMatch(/; the answers of its output and the 60 answers its journal held for rows past its limit are kept for this job \(100 texts in .*out-\d+\.csv\.answers\): a text among them is not sent again$/);
    // Rows 0-99 answered before: the 200 after them are sent.
    expect(job.server.stats().total).toBe(200);
  });

  it('an "already done" rerun at the same limit keeps them too', async () => {
    const output = await completedAtForty();
    job.server.reset();
    const again = await runCli(score(output, '--limit', '40'), { env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(messages(again.stderr).some((msg) => msg.startsWith('already done'))).toBe(true);
    job.server.reset();
    const raised = await runCli(score(output, '--limit', '150'), { env: env() });
    expect(raised.code, raised.stderr).toBe(0);
    // Rows 0-149: 100 of them answered before.
    expect(job.server.stats().total).toBe(50);
    expect(raised.stdout).toContain('whole job across resumes: rows 150: scored 150');
  });
  // The mends keep them too (completed-rerun.ts, mend-earlier-failures.ts: completed-job-files.ts PastLimit): the job's
  // journal is done with once a mend ends, but for the answers to rows past the limit.
  it("a rerun's mend of a row failed at the limit keeps them: no limit next sends only the rows none of them covers", async () => {
    const output = job.output('mend');
    job.server.reset();
    job.server.setFaults({ rules: [{ textIncludes: 'Review number 0:', respond: { hang: true } }] });
    const paused = await runCli(score(output, '--max-requests', '100', '--grace', '500ms'), { env: env() });
    expect(paused.code, paused.stderr).toBe(75);
    // Row 0 fails transiently in the run that completes the job at --limit 40 (rows 1-39: answers kept before).
    job.server.setFaults({ rules: [{ textIncludes: 'Review number 0:', respond: { status: 500 } }] });
    const limited = await runCli(score(output, '--limit', '40', '--max-attempts', '1'), { env: env() });
    expect(limited.code, limited.stderr).toBe(0);
    expect(limited.stdout).toContain('1 row failed transiently');
    job.server.setFaults({});
    job.server.reset();
    const mended = await runCli(score(output, '--limit', '40'), { env: env() });
    expect(mended.code, mended.stderr).toBe(0);
    expect(job.server.stats().total).toBe(1);
    job.server.reset();
    const all = await runCli(score(output), { env: env() });
    expect(all.code, all.stderr).toBe(0);
    expect(job.server.stats().total).toBe(200);
    expect(all.stdout).toContain('whole job across resumes: rows 300: scored 300');
  });

  it("a resumed run's mend of an earlier run's failed row keeps them: no limit next sends only the rows none of them covers", async () => {
    const output = job.output('earlier');
    job.server.reset();
    // Row 0 written failed by the paused run; row 50 never answered: it stops there, rows 51-99 answered ahead.
    job.server.setFaults({ rules: [{ textIncludes: 'Review number 0:', respond: { status: 500 } }, { textIncludes: 'Review number 50:', respond: { hang: true } }] });
    const paused = await runCli(score(output, '--max-requests', '100', '--grace', '500ms', '--max-attempts', '1'), { env: env() });
    expect(paused.code, paused.stderr).toBe(75);
    job.server.setFaults({});
    job.server.reset();
    // Rows 50-59: row 50 sent, the rest answered before; then row 0 mended.
    const limited = await runCli(score(output, '--limit', '60'), { env: env() });
    expect(limited.code, limited.stderr).toBe(0);
    expect(job.server.stats().total).toBe(2);
    job.server.reset();
    const all = await runCli(score(output), { env: env() });
    expect(all.code, all.stderr).toBe(0);
    expect(job.server.stats().total).toBe(200);
    expect(all.stdout).toContain('whole job across resumes: rows 300: scored 300');
  });
  // Killed before its rename, the job is completed by the next run (finish-rename.ts), which reads the journal at its path
  // for answers past the limit: one that holds none (every answer a row of its output) is removed, as any job's.
  it('a run killed before its rename at --limit 150: the next run finishes it, and its journal, with no answer past 150, is removed', async () => {
    const output = await completedAtForty();
    job.server.reset();
    const killed = await runCli(score(output, '--limit', '150'), { env: { ...env(), ...killAtRename(output, { when: 'before' }) } });
    expect(killed.signal).toBe('SIGKILL');
    expect(job.server.stats().total).toBe(50);
    const finished = await runCli(score(output, '--limit', '150'), { env: env() });
    expect(finished.code, finished.stderr).toBe(0);
    expect(readFileSync(output, 'utf8').trim().split('\n')).toHaveLength(151);
    // Rows 0-149 written: no answer in its journal is of a row past them, and no journal is left beside the output.
    expect(existsSync(`${output}.journal`)).toBe(false);
  });
  // A job started over keeps the old job's answers in `<output>.answers` (kept-answers.ts): completed at a --limit, those
  // to rows past it stay there for the run with a higher limit or none (completed-job-files.ts removeCompletedJobFiles).
  it('a start-over completed at --limit 40 from the answers kept: those past it stay, and no limit next sends only the rest', async () => {
    const output = await completedAtForty();
    job.server.reset();
    const limited = await runCli(score(output, '--prefix', 'mood', '--limit', '40'), { env: env() });
    expect(limited.code, limited.stderr).toBe(0);
    expect(job.server.stats().total).toBe(0);
    job.server.reset();
    const all = await runCli(score(output, '--prefix', 'mood'), { env: env() });
    expect(all.code, all.stderr).toBe(0);
    // Rows 0-99 answered before (rows 40-99 from the answers kept): the 200 after them are sent.
    expect(job.server.stats().total).toBe(200);
    expect(all.stdout).toContain('whole job across resumes: rows 300: scored 300');
  });
});
