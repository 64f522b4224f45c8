import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideStart, type ResumeContext } from '../src/job/resume.js';
import { CHECKPOINT_VERSION, hashSettings, writeCheckpoint, type Checkpoint } from '../src/state/checkpoint.js';
import { emptyTotals } from '../src/state/totals.js';
import { captureLog } from './support/capture-log.js';
import { useTempDir } from './support/e2e-dir.js';

const settings = { format: 'csv', delimiter: ',', text: 'text', prefix: 'sentiment', modelId: 'workers-ai:@cf/huggingface/distilbert-sst-2-int8', longText: 'truncate' };
const identity = { size: 900, mtimeMs: 1, headHash: 'a', tailHash: 'b' };

/**
 * A job file's "output" changed between two runs of one job (out/a.scored.csv, then out/b.scored.csv): the checkpoint
 * is looked for beside the output, so the second run found none and started afresh, without a word, paying again for
 * every row the first had scored (10 of 10 against serve, --max-requests 10 both times), and leaving the first's partial
 * output and checkpoint where they were. It says so now, with the setting that continues that job.
 */
describe('a job whose output moved beside its checkpoint', () => {
  const dir = useTempDir();

  const checkpointOf = (output: string, input: { path: string; identity: typeof identity }, completed: boolean): Checkpoint => ({
    version: CHECKPOINT_VERSION,
    tool: 'sentiment-batch',
    input,
    settings,
    settingsHash: hashSettings(settings),
    output: { path: output, partialPath: `${output}.partial` },
    position: { inputOffset: 500, outputBytes: 700, nextIndex: 10 },
    totals: { ...emptyTotals(), read: 10, scored: 10, requests: 10, neurons: 0.35 },
    completed,
    updatedAt: new Date(0).toISOString(),
  });

  async function start(extra: Partial<ResumeContext> = {}): Promise<{ kind: string; lines: string[] }> {
    const { log, messages } = captureLog('info');
    const decision = await decideStart({
      checkpointPath: dir.path('b.scored.csv.checkpoint.json'),
      partialPath: dir.path('b.scored.csv.partial'),
      outputPath: dir.path('b.scored.csv'),
      inputPath: 'in.csv',
      identity,
      settingsHash: hashSettings(settings),
      restart: false,
      require: undefined,
      outputSetting: '"output" in the job file',
      cacheAdvice: 'add "cache": "DIR" to the job file',
      log,
      ...extra,
    });
    log.flush();
    await new Promise((resolve) => setImmediate(resolve));
    return { kind: decision.kind, lines: messages() };
  }

  it('an unfinished job of this input beside it: says it is not continued, what it paid, and the output that continues it', async () => {
    const a = dir.path('a.scored.csv');
    await writeCheckpoint(`${a}.checkpoint.json`, checkpointOf(a, { path: 'in.csv', identity }, false));
    const { kind, lines } = await start();
    expect(kind).toBe('fresh');
    expect(lines).toEqual([
      `no checkpoint is at ${dir.path('b.scored.csv')}, but a.scored.csv.checkpoint.json beside it is of this input, an unfinished job (10 rows written) whose output is ${a}: this run starts afresh and does not continue it; ` +
        `the 10 requests the unfinished job paid for are not reused by this one (add "cache": "DIR" to the job file to keep answers across jobs: a text answered before is not sent again); to continue that job instead, set "output" in the job file back to ${a}`,
    ]);
    // On the command line, the flag (as -o is named).
    expect((await start({ outputSetting: '-o', cacheAdvice: 'run with --cache DIR' })).lines[0]).toContain('(run with --cache DIR to keep answers across jobs: a text answered before is not sent again); to continue that job instead, give -o');
    // This run's output named as the user gave it (-o b.scored.csv, relative), as the summary names it: it was absolute.
    const typed = path.relative(process.cwd(), dir.path('b.scored.csv'));
    expect((await start({ outputSetting: '-o', typedOutput: typed })).lines[0]).toMatch(/^no checkpoint is at [^/]/);
    expect((await start({ outputSetting: '-o', typedOutput: typed })).lines[0]).toContain(`no checkpoint is at ${typed}, but a.scored.csv.checkpoint.json beside it`);
  });

  it('a completed job of this input: says every row is scored again; -o named as a flag', async () => {
    const a = dir.path('a.scored.csv');
    await writeCheckpoint(`${a}.checkpoint.json`, checkpointOf(a, { path: 'in.csv', identity }, true));
    const { lines } = await start({ outputSetting: '-o' });
    expect(lines).toEqual([
      `no checkpoint is at ${dir.path('b.scored.csv')}, but a.scored.csv.checkpoint.json beside it is of this input, a completed job (10 rows written) whose output is ${a}: this run starts afresh and scores every row again (that job sent 10 requests); to continue that job instead, give -o ${a} again`,
    ]);
    // Its output is whole, and nothing is paid again: with --cache (its answers are hits), or of a model on this machine.
    expect((await start({ outputSetting: '-o', cache: true })).lines).toEqual([]);
    await writeCheckpoint(`${a}.checkpoint.json`, { ...checkpointOf(a, { path: 'in.csv', identity }, true), totals: { ...emptyTotals(), read: 10, scored: 10 } });
    expect((await start({ outputSetting: '-o' })).lines).toEqual([]);
  });

  // The job's files renamed by hand (out.csv.* to out2.csv.*), or its folder copied from elsewhere: its checkpoint still
  // records the output it was made for, and the line said "give -o …/b.scored.csv again" to the run given -o b.scored.csv.
  // A job continues at the name of its checkpoint's file (resume.ts reads <output>.checkpoint.json), which it names now.
  it('names the output its checkpoint file continues at, not the one it records, when its files were renamed or copied', async () => {
    const a = dir.path('a.scored.csv');
    for (const recorded of [dir.path('b.scored.csv'), '/mnt/old-volume/jobs/a.scored.csv']) {
      await writeCheckpoint(`${a}.checkpoint.json`, checkpointOf(recorded, { path: 'in.csv', identity }, false));
      const { lines } = await start({ outputSetting: '-o' });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`beside it is of this input, an unfinished job (10 rows written) whose output is ${a}: this run starts afresh`);
      expect(lines[0]).toMatch(new RegExp(`to continue that job instead, give -o ${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} again$`));
    }
  });

  it('says nothing of another job of this input under other settings (another text column, another model): it is not this job moved', async () => {
    // Two jobs of one export in one folder (its title and its body scored apart): the second's first run was told that
    // it scored every row again and to give -o of the first, which would have started that job over, its output replaced.
    const a = dir.path('a.scored.csv');
    const other = { ...settings, text: 'title' };
    await writeCheckpoint(`${a}.checkpoint.json`, { ...checkpointOf(a, { path: 'in.csv', identity }, true), settings: other, settingsHash: hashSettings(other) });
    expect((await start({ outputSetting: '-o' })).lines).toEqual([]);
    const model = { ...settings, modelId: 'workers-ai:@cf/other/model' };
    await writeCheckpoint(`${a}.checkpoint.json`, { ...checkpointOf(a, { path: 'in.csv', identity }, false), settings: model, settingsHash: hashSettings(model) });
    expect((await start()).lines).toEqual([]);
  });

  it('says nothing of another input\'s checkpoint, nor under --restart', async () => {
    const a = dir.path('a.scored.csv');
    await writeCheckpoint(`${a}.checkpoint.json`, checkpointOf(a, { path: 'other.csv', identity: { ...identity, headHash: 'z' } }, false));
    expect((await start()).lines).toEqual([]);
    await writeCheckpoint(`${a}.checkpoint.json`, checkpointOf(a, { path: 'in.csv', identity }, false));
    expect((await start({ restart: true })).lines).toEqual(['--restart: starting over']);
  });
});
