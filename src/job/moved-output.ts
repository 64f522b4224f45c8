import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { outputOfCheckpointPath, readCheckpoint, sameIdentity, type InputIdentity } from '../state/checkpoint.js';
import { counted } from '../wording/counted.js';
import { droppedAnswersNote } from './dropped-answers.js';
import { typedPath } from '../wording/typed-path.js';

/** At most this many other checkpoints are read: a folder of many nightly outputs is not read whole at each start. */
const MAX_READ = 20;

/**
 * The checkpoint is looked for beside the output, so a job whose output moved (a job file's "output" edited between
 * two runs, or another -o) found none and started afresh without a word: every row it had scored was paid for again,
 * and its partial output and checkpoint stayed where they were. A checkpoint of the same input and settings beside the
 * new output (the usual rename) is named, with the setting that continues that job; a completed one only when this run
 * pays again for its rows. One in another folder is not looked for.
 * Undefined when there is none; `outputSetting`: `-o`, or `"output" in the job file`; `cacheAdvice`: how --cache is
 * turned on, the job file's key in a job file's run (dropped-answers.ts CACHE_FLAG); `typedOutput`: the output as given,
 * which names this run's output as the summary does (the other job's output is named as its checkpoint records it).
 */
export async function movedOutputNote(ctx: { outputPath: string; checkpointPath: string; identity: InputIdentity; settingsHash: string; cache?: boolean; outputSetting?: string; cacheAdvice?: string; typedOutput?: string }): Promise<string | undefined> {
  const folder = path.dirname(ctx.outputPath);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => outputOfCheckpointPath(name) !== undefined && path.join(folder, name) !== ctx.checkpointPath).sort();
  } catch {
    return undefined;
  }
  for (const name of names.slice(0, MAX_READ)) {
    const loaded = await readCheckpoint(path.join(folder, name)).catch(() => undefined);
    if (loaded?.kind !== 'ok' || !sameIdentity(loaded.checkpoint.input.identity, ctx.identity)) continue;
    // Under other settings (another text column, model, prefix) it is another job of this input, not this one moved: its
    // output given back would start it over (resume.ts), not continue it. Two jobs of one export in one folder (its title
    // and its body) were told to give -o of the other, which would have replaced that one's output.
    if (loaded.checkpoint.settingsHash !== ctx.settingsHash) continue;
    const { checkpoint } = loaded;
    // A completed job's output is still there, whole: scoring the input again into another output is a choice (another
    // model, a copy), said only when it pays again for what that job paid (no --cache to answer it, requests sent).
    if (checkpoint.completed && (ctx.cache === true || checkpoint.totals.requests === 0)) continue;
    // The output at which the same command continues that job: the name of its checkpoint's file, as resume.ts finds it.
    // Not the path the checkpoint records: its files renamed by hand (out.csv.* to out2.csv.*), or its folder copied from
    // another volume, the line told the run given -o out.csv to give -o out.csv again.
    const other = path.join(folder, outputOfCheckpointPath(name) ?? name);
    const state = `${checkpoint.completed ? 'a completed job' : 'an unfinished job'} (${counted(checkpoint.position.nextIndex, 'row')} written) whose output is ${other}`;
    const fate = checkpoint.completed ? `scores every row again (that job sent ${counted(checkpoint.totals.requests, 'request')})` : 'does not continue it';
    const setting = ctx.outputSetting ?? '-o';
    const how = setting.startsWith('-') ? `give ${setting} ${other} again` : `set ${setting} back to ${other}`;
    return (
      `no checkpoint is at ${typedPath(ctx.outputPath, ctx.typedOutput)}, but ${name} beside it is of this input, ${state}: this run starts afresh and ${fate}` +
      `${droppedAnswersNote(checkpoint, ctx.cache === true, ctx.cacheAdvice)}; to continue that job instead, ${how}`
    );
  }
  return undefined;
}
