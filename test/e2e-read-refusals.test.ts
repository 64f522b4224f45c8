import { spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFile } from '../src/hub/file-hash.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { builtCli, cleanEnv, REPO_ROOT, tempDir, type CliResult } from './support/cli.js';
import { cliRunsAs } from './support/run-as.js';
import { syntheticCsv } from './support/reviews.js';
import { TestScorer } from './support/test-scorer.js';
import { workersAiEnv } from './support/workers-ai-env.js';

/**
 * Files a command reads and this user may not (root only: the runs are made as uid 65534, for whom file modes
 * count). A refusal to read was said as a folder "not writable", with "-o" to write elsewhere, or not said at all.
 */

const NOBODY = 65534;

function asNobody(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [builtCli(), ...args], { cwd, uid: NOBODY, gid: NOBODY, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** The one line on stderr that is not a JSON log line. */
function sayLine(result: CliResult): string {
  const lines = result.stderr.trim().split('\n').filter((line) => !line.startsWith('{'));
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  return lines[0] as string;
}

describe.skipIf(!cliRunsAs(NOBODY))('files this user may not read (root: runs as uid 65534)', () => {
  let dir: string;
  let cleanup: () => void;
  /** A folder of uid 65534's own, as a user's job folder is. */
  const own = (name: string): string => {
    const at = path.join(dir, name);
    mkdirSync(at);
    chownSync(at, NOBODY, NOBODY);
    return at;
  };
  const giveAll = (folder: string): void => {
    for (const name of readdirSync(folder, { recursive: true }) as string[]) chownSync(path.join(folder, name), NOBODY, NOBODY);
  };

  let server: RunningServer;
  const remote = () => workersAiEnv(server, { token: 'token' });
  const remoteArgs = ['score', 'in.csv', '--text-column', 'review', '-o', 'out.csv', '--rpm', '100000', '--max-attempts', '1', '--max-error-rate', '1', '--log-level', 'warn'];
  /** A job of 60 rows of uid 65534's, paused by --max-requests 20 (exit 75) against the service failing `failRate` of requests. */
  const pausedJob = async (name: string, failRate: number): Promise<string> => {
    const job = own(name);
    writeFileSync(path.join(job, 'in.csv'), syntheticCsv(60, { emptyEvery: 0, duplicateEvery: 0 }));
    giveAll(job);
    server.setFaults({ seed: 5, latency: '1-5ms', failRate });
    const paused = await asNobody([...remoteArgs, '--max-requests', '20'], job, remote());
    expect(paused.code, paused.stderr).toBe(75);
    return job;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    chmodSync(dir, 0o755);
    server = await startServer({ scorer: new TestScorer(), latency: '1-5ms', seed: 5 });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  /** A job the other user completed in its own folder, then its checkpoint made unreadable (chmod 000). */
  const completedThenCheckpointClosed = async (name: string) => {
    const job = own(name);
    writeFileSync(path.join(job, 'in.csv'), syntheticCsv(20));
    giveAll(job);
    const args = ['score', 'in.csv', '--text-column', 'review', '-o', 'out.csv'];
    expect((await asNobody(args, job)).code).toBe(0);
    const checkpoint = path.join(job, 'out.csv.checkpoint.json');
    chmodSync(checkpoint, 0o000);
    return { job, args, checkpoint };
  };

  // Without "(it continues from the checkpoint)", which it said: unread, the checkpoint may say anything (this one, that the job is done).
  it("a checkpoint it may not read: exit 74, the file and the access it needs; not a folder 'not writable' with -o", async () => {
    const { job, args, checkpoint } = await completedThenCheckpointClosed('checkpoint');
    const result = await asNobody(args, job);
    expect(result.code).toBe(74);
    expect(sayLine(result)).toBe(
      `sentiment-batch: cannot open ${checkpoint} (permission denied): it is neither readable nor writable by the user this command runs as (uid ${NOBODY}): ` +
        `give that user read and write access to it (chmod u+rw ${checkpoint}), then run the same command again`,
    );
  });

  it('its output and checkpoint, both unreadable: the checkpoint named (exit 74), not "a file that is not an earlier output" (exit 2)', async () => {
    // The check of a file at -o (paths/output-target.ts) cannot read either: it judges nothing, and the run's own line follows.
    const { job, args, checkpoint } = await completedThenCheckpointClosed('both-closed');
    chmodSync(path.join(job, 'out.csv'), 0o000);
    const result = await asNobody(args, job);
    expect(result.code).toBe(74);
    expect(sayLine(result).startsWith(`sentiment-batch: cannot open ${checkpoint} (permission denied): `)).toBe(true);
  });

  it('an input in a folder it may not enter: exit 3, naming that folder', async () => {
    const job = own('closed-input');
    const closed = path.join(job, 'exports');
    mkdirSync(closed);
    writeFileSync(path.join(closed, 'in.csv'), syntheticCsv(5));
    giveAll(job);
    chmodSync(closed, 0o000);
    const result = await asNobody(['score', 'exports/in.csv', '--text-column', 'review', '-o', 'out.csv'], job);
    expect(result.code).toBe(3);
    expect(sayLine(result)).toBe(
      `sentiment-batch: cannot open input file 'exports/in.csv': permission denied (EACCES): the folder ${closed} cannot be entered by the user this command runs as (uid ${NOBODY}): ` +
        `give that user access to it (chmod a+x ${closed}, or chown ${NOBODY} it)`,
    );
  });

  it('the list of rows that failed transiently, unreadable when a run resumes: exit 74 naming it, the list kept; it was replaced by an empty one and its rows said refused for their text', async () => {
    const job = await pausedJob('failed-rows', 0.5);
    const list = path.join(job, 'out.csv.failed-rows');
    const listed = readFileSync(list);
    expect(listed.toString().split('\n').filter(Boolean).length).toBeGreaterThan(0);
    chmodSync(list, 0o000);
    server.setFaults({ seed: 5, latency: '1-5ms', failRate: 0 });
    const refused = await asNobody(remoteArgs, job, remote());
    expect(refused.code, refused.stdout).toBe(74);
    expect(sayLine(refused)).toBe(
      `sentiment-batch: cannot open ${list} (permission denied): it is neither readable nor writable by the user this command runs as (uid ${NOBODY}): ` +
        `give that user read and write access to it (chmod u+rw ${list}), then run the same command again (it continues from the checkpoint)`,
    );
    chmodSync(list, 0o600);
    expect(readFileSync(list)).toEqual(listed);
    const finished = await asNobody(remoteArgs, job, remote());
    expect(finished.code, finished.stderr).toBe(0);
    // Its listed rows are scored again on the healthy service, not left as refused.
    expect(finished.stdout).toMatch(/whole job across resumes: rows 60: scored 60, skipped 0, failed 0/);
    expect(finished.stdout).toMatch(/mended \d+ rows that had failed transiently \(0 rows still failed\)/);
  });

  it('an answer journal it may not read: exit 74 naming it, its paid answers kept; they were dropped and the journal replaced', async () => {
    const job = await pausedJob('journal', 0);
    const journal = path.join(job, 'out.csv.journal');
    const kept = readFileSync(journal);
    chmodSync(journal, 0o000);
    const refused = await asNobody(remoteArgs, job, remote());
    expect(refused.code, refused.stdout).toBe(74);
    expect(sayLine(refused)).toBe(
      `sentiment-batch: cannot open ${journal} (permission denied): it is neither readable nor writable by the user this command runs as (uid ${NOBODY}): ` +
        `give that user read and write access to it (chmod u+rw ${journal}), then run the same command again (it continues from the checkpoint)`,
    );
    chmodSync(journal, 0o600);
    expect(readFileSync(journal)).toEqual(kept);
  });

  it("a result cache file it may not read: exit 74 naming the file, never a crash; lock.mdb was a segmentation fault (exit 139, no line)", async () => {
    const job = own('cache');
    writeFileSync(path.join(job, 'in.csv'), syntheticCsv(10, { emptyEvery: 0, duplicateEvery: 0 }));
    giveAll(job);
    server.setFaults({ seed: 5, latency: '1-5ms', failRate: 0 });
    expect((await asNobody([...remoteArgs, '--cache', 'cache'], job, remote())).code).toBe(0);
    for (const name of ['lock.mdb', 'data.mdb']) {
      const file = path.join(job, 'cache', name);
      chmodSync(file, 0o000);
      const result = await asNobody([...remoteArgs, '-o', `again-${name}.csv`, '--cache', 'cache'], job, remote());
      expect({ code: result.code, signal: result.signal }, result.stderr).toEqual({ code: 74, signal: null });
      expect(sayLine(result)).toBe(
        `sentiment-batch: the result cache file cache/${name}: it is neither readable nor writable by the user this command runs as (uid ${NOBODY}): ` +
          `give that user read and write access to it (chmod u+rw ${file}); or choose another --cache folder, or run without --cache`,
      );
      chmodSync(file, 0o644);
    }
  });

  it("model list of a Hub cache it may not read: what refuses it and the access to give, not 'write elsewhere (HF_HUB_CACHE)'", async () => {
    const cache = path.join(dir, 'hub-cache');
    mkdirSync(cache, { mode: 0o700 });
    const result = await asNobody(['model', 'list'], dir, { HF_HUB_CACHE: cache });
    expect(result.code).toBe(74);
    expect(sayLine(result)).toBe(
      `sentiment-batch: permission denied (scandir ${cache}): the folder is not readable by the user this command runs as (uid ${NOBODY}): ` +
        `give that user read access to it (chmod a+rx ${cache}), then run the same command again`,
    );
  });

  it("report of a scored file whose checkpoint it may not read: exit 74 naming it; it was taken for none ('the text column 'text' … is not in the header', exit 2)", async () => {
    const job = own('report');
    writeFileSync(path.join(job, 'in.csv'), syntheticCsv(20));
    giveAll(job);
    expect((await asNobody(['score', 'in.csv', '--text-column', 'review', '-o', 'out.csv'], job)).code).toBe(0);
    const checkpoint = path.join(job, 'out.csv.checkpoint.json');
    chmodSync(checkpoint, 0o200);
    const result = await asNobody(['report', 'out.csv', '-o', 'report.html'], job);
    expect(result.code).toBe(74);
    expect(sayLine(result)).toBe(
      `sentiment-batch: cannot open ${checkpoint} (permission denied): it is not readable by the user this command runs as (uid ${NOBODY}): ` +
        `give that user read access to it (chmod a+r ${checkpoint}), then run the same command again`,
    );
    chmodSync(checkpoint, 0o644);
    expect((await asNobody(['report', 'out.csv', '-o', 'report.html'], job)).code).toBe(0);
  });

  it("report of a scored file whose summary JSON beside it it may not read: exit 74 naming it; it was taken for none, the page made without a word", async () => {
    const job = own('report-summary');
    writeFileSync(path.join(job, 'in.csv'), syntheticCsv(20));
    giveAll(job);
    const scored = await asNobody(['score', 'in.csv', '--text-column', 'review', '-o', 'out.scored.csv', '--summary-json', 'out.summary.json'], job);
    expect(scored.code, scored.stderr).toBe(0);
    const summary = path.join(job, 'out.summary.json');
    chmodSync(summary, 0o000);
    const result = await asNobody(['report', 'out.scored.csv', '-o', 'report.html'], job);
    expect(result.code).toBe(74);
    expect(sayLine(result)).toBe(
      `sentiment-batch: cannot open ${summary} (permission denied): it is not readable by the user this command runs as (uid ${NOBODY}): ` +
        `give that user read access to it (chmod a+r ${summary}), then run the same command again`,
    );
    // Given with --summary, it is the same fault, not 'cannot read it as a summary JSON written by --summary-json'.
    const given = await asNobody(['report', 'out.scored.csv', '--summary', 'out.summary.json', '-o', 'report.html'], job);
    expect(given.code).toBe(74);
    expect(sayLine(given)).toContain(`cannot open ${summary} (permission denied): it is not readable by`);
    chmodSync(summary, 0o644);
    expect((await asNobody(['report', 'out.scored.csv', '-o', 'report.html'], job)).code).toBe(0);
  });

  // Said as '… tokenizer.json cannot be read as a tokenizer (EACCES: permission denied, open …)', without the access to give.
  it("a pulled local model folder whose tokenizer.json it may not read: exit 2 naming it and the read access it needs", async () => {
    const job = own('tokenizer-closed');
    const model = path.join(job, 'model');
    cpSync(path.join(REPO_ROOT, 'fixtures/tiny-distilbert'), model, { recursive: true });
    const files: Record<string, { hash: string; size: number }> = {};
    for (const [name, kind] of [['config.json', 'git-sha1'], ['tokenizer.json', 'git-sha1'], ['onnx/model_quantized.onnx', 'sha256']] as const) {
      const { actual, size } = await hashFile(path.join(model, name), kind);
      files[name] = { hash: actual, size };
    }
    writeFileSync(path.join(model, '.sentiment-batch-pull.json'), JSON.stringify({ repo: 'Xenova/distilbert-base-uncased-finetuned-sst-2-english', commit: 'a'.repeat(40), files }));
    writeFileSync(path.join(job, 'in.csv'), 'id,review\n1,great\n');
    giveAll(job);
    const tokenizer = path.join(model, 'tokenizer.json');
    chmodSync(tokenizer, 0o000);
    const result = await asNobody(['score', 'in.csv', '--text-column', 'review', '--backend', 'local', '--model-dir', model, '-o', 'out.csv'], job);
    expect(result.code, result.stderr).toBe(2);
    expect(sayLine(result)).toBe(
      `sentiment-batch: cannot read ${tokenizer} (permission denied): give the user this command runs as (uid ${NOBODY}) read access to it (chmod a+r ${tokenizer}), or point --model-dir at a copy it can read`,
    );
  });

  it("a local model folder whose pull record it may not read: exit 2 naming it; the folder was used unchecked (exit 0)", async () => {
    const job = own('pull-record');
    const model = path.join(job, 'model');
    cpSync(path.join(REPO_ROOT, 'fixtures/tiny-distilbert'), model, { recursive: true });
    const record = path.join(model, '.sentiment-batch-pull.json');
    writeFileSync(record, '{}\n');
    writeFileSync(path.join(job, 'in.csv'), 'id,review\n1,great\n');
    giveAll(job);
    chmodSync(record, 0o000);
    const result = await asNobody(['score', 'in.csv', '--text-column', 'review', '--backend', 'local', '--model-dir', model, '-o', 'out.csv'], job);
    expect(result.code, result.stderr).toBe(2);
    expect(sayLine(result)).toBe(
      `sentiment-batch: cannot read ${record} (permission denied): give the user this command runs as (uid ${NOBODY}) read access to it (chmod a+r ${record}), or point --model-dir at a copy it can read`,
    );
  });
});
