import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { reviewText, syntheticCsv } from './support/reviews.js';
import { useTestServer } from './support/server.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/** Another user (nobody), who may create files in a sticky folder but not replace this user's. */
const OTHER = 65534;
const ROWS = 60;

/** A file of another user's: created as root here, then given to that user, writable by anyone as such a user would leave it. */
function plant(file: string, content: string): void {
  writeFileSync(file, content);
  chownSync(file, OTHER, OTHER);
  chmodSync(file, 0o666);
}

/**
 * In a folder with the sticky bit (/tmp), any user may create the files a job will write beside its output before
 * the job does (state/foreign-file.ts). A run as root took every answer of another user's journal (no request sent,
 * exit 0, every label of that user's choosing) and resumed from another user's checkpoint and partial output, whose
 * file became the finished output, still that user's and writable by anyone. Root is the user who may replace such
 * files, so the test needs root (CI's user) to make another user's files and to be the victim.
 */
describe.skipIf(process.geteuid?.() !== 0)("another user's files beside the output in a sticky folder", () => {
  const dir = useTempDir();
  const server = useTestServer();

  /** The input, a folder of this user's own, and a shared one with the sticky bit, as /tmp has. */
  function folders() {
    const input = dir.file('in.csv', syntheticCsv(ROWS, { duplicateEvery: 0, emptyEvery: 0 }));
    const own = dir.path('own');
    mkdirSync(own);
    const shared = dir.path('shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    return { input, own, shared };
  }

  async function setUp() {
    const running = await server.start();
    const env = workersAiEnv(running);
    const { input, own, shared } = folders();
    const args = (folder: string, ...extra: string[]) => ['score', input, '--text-column', 'review', '-o', path.join(folder, 'out.csv'), '--rpm', '600000', ...extra];
    // A job paused in a folder of its own: its journal's header, checkpoint and partial output are what another user copies.
    expect((await runCli(args(own, '--max-requests', '10', '--summary-json', path.join(own, 'summary.json')), { env })).code).toBe(75);
    running.reset();
    return { running, env, input, own, shared, args };
  }

  it("a journal another user left is refused, not taken for answers paid for (before: 0 requests, that user's labels, exit 0)", async () => {
    const { running, env, own, shared, args } = await setUp();
    const header = readFileSync(path.join(own, 'out.csv.journal'), 'utf8').split('\n')[0]!;
    const forged = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ i, t: reviewText(i), s: ['NEGATIVE', 0.001, 0.999] }));
    const journal = path.join(shared, 'out.csv.journal');
    plant(journal, `${header}\n${forged.join('\n')}\n`);

    const result = await runCli(args(shared), { env });
    expect(result.code).toBe(74);
    expect(result.stderr).toContain(`${journal} belongs to uid ${OTHER}, not to this user (uid 0)`);
    expect(result.stderr).toContain(`rm ${journal}`);
    expect(existsSync(path.join(shared, 'out.csv'))).toBe(false);

    // Gone, the same command scores every row itself: this user's own files in the sticky folder are read as ever.
    rmSync(journal);
    const again = await runCli(args(shared), { env });
    expect(again.code, again.stderr).toBe(0);
    expect(running.stats().total).toBe(ROWS);
    expect(statSync(path.join(shared, 'out.csv')).uid).toBe(0);
  });

  it("a checkpoint and partial output another user left are refused, not resumed (before: the finished output was that user's, mode 0666)", async () => {
    const { env, own, shared, args } = await setUp();
    const checkpoint = path.join(shared, 'out.csv.checkpoint.json');
    plant(checkpoint, readFileSync(path.join(own, 'out.csv.checkpoint.json'), 'utf8').replaceAll(own, shared));
    const partial = path.join(shared, 'out.csv.partial');
    plant(partial, readFileSync(path.join(own, 'out.csv.partial'), 'utf8'));

    const result = await runCli(args(shared), { env });
    expect(result.code).toBe(74);
    expect(result.stderr).toContain(`${checkpoint} and ${partial} belong to uid ${OTHER}, not to this user (uid 0)`);
    expect(existsSync(path.join(shared, 'out.csv'))).toBe(false);
  });

  it("another user's paused job is refused in one line naming all its files, with one rm and how to continue it (before: one file per run, 3 exits 74)", async () => {
    const { env, own, shared, args } = await setUp();
    const names = ['out.csv.checkpoint.json', 'out.csv.partial', 'out.csv.journal', 'out.csv.failed-rows'];
    for (const name of names) {
      const text = readFileSync(path.join(own, name), 'utf8');
      plant(path.join(shared, name), name.endsWith('.json') ? text.replaceAll(own, shared) : text);
    }
    const files = names.map((name) => path.join(shared, name));

    const result = await runCli(args(shared), { env });
    expect(result.code).toBe(74);
    const lines = result.stderr.split('\n').filter((line) => line.includes('belong'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${files.slice(0, -1).join(', ')} and ${files.at(-1)} belong to uid ${OTHER}, not to this user (uid 0)`);
    expect(lines[0]).toContain(`rm ${files.join(' ')}`);
    expect(lines[0]).toContain(`run the same command as uid ${OTHER} (nobody)`);

    // Following the line once is enough: the next run is this user's own job.
    rmSync(files[0]!);
    for (const file of files.slice(1)) rmSync(file);
    const again = await runCli(args(shared), { env });
    expect(again.code, again.stderr).toBe(0);
  });

  // The answers a job inherited (`<output>.answers`, a folder) are one of its files too: named in the same line.
  it("another user's job with its kept answers: the answers folder named in the same one line", async () => {
    const { env, own, shared, args } = await setUp();
    const checkpoint = path.join(shared, 'out.csv.checkpoint.json');
    plant(checkpoint, readFileSync(path.join(own, 'out.csv.checkpoint.json'), 'utf8').replaceAll(own, shared));
    const answers = path.join(shared, 'out.csv.answers');
    mkdirSync(answers);
    chownSync(answers, OTHER, OTHER);
    const result = await runCli(args(shared), { env });
    expect(result.code).toBe(74);
    const lines = result.stderr.split('\n').filter((line) => line.includes('belong'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${checkpoint} and ${answers} belong to uid ${OTHER}, not to this user (uid 0)`);
  });

  it("a summary file another user left is replaced by one of this user's own mode, not given to that user (before: uid 65534, 0666)", async () => {
    const { env, own, shared, args } = await setUp();
    const summary = path.join(shared, 'summary.json');
    plant(summary, readFileSync(path.join(own, 'summary.json'), 'utf8'));
    const result = await runCli(args(own, '--summary-json', summary), { env });
    expect(result.code, result.stderr).toBe(0);
    const stats = statSync(summary);
    expect(stats.uid).toBe(0);
    expect(stats.mode & 0o022).toBe(0);
    expect(JSON.parse(readFileSync(summary, 'utf8')).status).toBe('done');
  });

  it("a --cache folder another user made there is refused, never read for answers (before: used, exit 0)", async () => {
    const { env, own, shared, args } = await setUp();
    const cache = path.join(shared, 'cache');
    mkdirSync(cache);
    chownSync(cache, OTHER, OTHER);
    chmodSync(cache, 0o777);
    const result = await runCli(args(own, '--cache', cache), { env });
    expect(result.code).toBe(74);
    expect(result.stderr).toContain(`${cache} belongs to uid ${OTHER}, not to this user (uid 0)`);
    expect(result.stderr).toContain(`rm -r ${cache}`);
    expect(readdirSync(cache)).toEqual([]);
  });

  // The refusal is of files a job would trust to resume or take answers from. A report only reads another user's
  // finished job to show it: `report /tmp/shared/out.csv` was exit 74, telling the reader to remove that user's checkpoint.
  it("a report on another user's finished output there reads its checkpoint, as it reads any (before: exit 74, 'remove it')", async () => {
    const { input, own, shared } = folders();
    expect((await runCli(['score', input, '--text-column', 'review', '--backend', 'embedded', '-o', path.join(own, 'out.csv')])).code).toBe(0);
    const checkpoint = path.join(shared, 'out.csv.checkpoint.json');
    plant(path.join(shared, 'out.csv'), readFileSync(path.join(own, 'out.csv'), 'utf8'));
    plant(checkpoint, readFileSync(path.join(own, 'out.csv.checkpoint.json'), 'utf8').replaceAll(own, shared));
    const before = readFileSync(checkpoint, 'utf8');

    const page = path.join(own, 'report.html');
    const result = await runCli(['report', path.join(shared, 'out.csv'), '-o', page]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(page, 'utf8')).toContain(`model ${JSON.parse(before).settings.modelId} · `);
    expect(readFileSync(checkpoint, 'utf8')).toBe(before);
    expect(statSync(checkpoint).uid).toBe(OTHER);
  });
});
