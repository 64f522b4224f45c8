/**
 * Settings that the chosen backend or input format has no use for. They are
 * accepted (a job file shared between backends should not fail) but never
 * silently: each gets one line, so a user who expected --threads to speed up
 * the embedded model learns that it did nothing. A flag is a warning: somebody
 * typed it for this run. A backend's key in a job file that leaves the backend
 * to be chosen (auto, or --backend typed for one run) is a note at info: the
 * file is written for the backend that has a use for it (the README's example,
 * jobs/nightly-reviews.json, sets "rpm" and runs on the embedded model until
 * credentials are set), and warned about, it raised a warning every night.
 */
import type { JobSettings } from '../config/options.js';
import type { InputFormat } from '../io/format.js';
import { fromJobFile, givenNames, jobFileChange } from '../config/setting-names.js';

export interface RunShape {
  /** Requests go over the network (Workers AI). */
  remote: boolean;
  /** --backend local: the ONNX model on this machine. */
  local: boolean;
  format: InputFormat;
}

export interface IgnoredSettings {
  /** Logged at warn: flags typed for this run, and keys of a job file that also picks the backend that ignores them. */
  warnings: string[];
  /** Logged at info: a backend's keys in a job file that leaves the backend to be chosen. */
  notes: string[];
}

export function ignoredSettings(settings: JobSettings, shape: RunShape): IgnoredSettings {
  const warnings: string[] = [];
  const notes: string[] = [];
  // Each setting is named as it was given: a flag, or its key in the job file (jobs/nightly-reviews.json's "rpm" is no --rpm anybody typed).
  const line = (present: ReadonlyArray<keyof JobSettings>, why: (one: boolean) => string): string | undefined => {
    const names = givenNames(settings, present);
    return names === undefined ? undefined : `${names} ${present.length === 1 ? 'is' : 'are'} ignored: ${why(present.length === 1)}`;
  };
  const named = (given: ReadonlyArray<keyof JobSettings | false>, why: (one: boolean) => string): void => {
    const warned = line(given.filter((one): one is keyof JobSettings => one !== false), why);
    if (warned !== undefined) warnings.push(warned);
  };
  // A job file that picks the backend itself and sets what that backend ignores contradicts itself: that stays a warning.
  const fileLeavesBackend = !fromJobFile(settings, 'backend');
  const forBackend = (given: ReadonlyArray<keyof JobSettings | false>, why: (one: boolean) => string): void => {
    const present = given.filter((one): one is keyof JobSettings => one !== false);
    const noted = present.filter((key) => fileLeavesBackend && fromJobFile(settings, key));
    const warned = line(present.filter((key) => !noted.includes(key)), why);
    if (warned !== undefined) warnings.push(warned);
    const note = line(noted, why);
    if (note !== undefined) notes.push(note);
  };
  const isSet = (key: keyof JobSettings): keyof JobSettings | false => settings[key] !== undefined && key;
  // --redis or the job file's "redis" was given for this job: a line. REDIS_URL alone describes the machine (set there
  // for the jobs that send requests), as CLOUDFLARE_BASE_URL does, which a model on this machine reads silently too: a
  // nightly embedded job on such a machine warned of it every night. Its run's first line names the backend it scores with.
  if (!shape.remote) forBackend([settings.given?.has('redis') === true && isSet('redis')], () => 'a model on this machine sends no requests to share a limit for');
  if (!shape.remote) {
    // The budgets are charged per request sent (job/remote-send.ts): a model on this machine sends none.
    forBackend([isSet('maxRequests'), isSet('maxNeurons')], (one) => `${one ? 'it budgets' : 'they budget'} the requests sent to Workers AI, and a model on this machine sends none`);
    forBackend(workersAiOnly(settings, shape), (one) => `${one ? 'it applies' : 'they apply'} to Workers AI only`);
  }
  // Only the models with DistilBERT's window (Workers AI, --backend local) use the cache.
  if (!shape.remote && !shape.local) forBackend([isSet('cache')], () => 'the embedded model scores a text faster than the cache could look it up');
  if (!shape.local) {
    // --device is undefined unless given, so an explicit --device cpu is named too. --model-dir is the
    // flag or job file only: SENTIMENT_BATCH_MODEL_DIR describes the machine (an image's model), not the job.
    const given = [isSet('modelDir'), isSet('threads'), isSet('localBatch'), isSet('device')];
    forBackend(given, (one) => `${one ? 'it applies' : 'they apply'} to --backend local only`);
  }
  if (shape.format === 'jsonl') named([isSet('delimiter')], () => 'the input is JSONL, which has no delimiter');
  if (shape.format === 'jsonl') named([isSet('escape')], () => 'the input is JSONL, whose strings escape their quotes as JSON does');
  if (shape.format === 'jsonl') named([isSet('quote')], () => 'the input is JSONL, whose strings are always quoted');
  if (shape.format === 'jsonl') named([isSet('decimal')], () => 'the input is JSONL, whose scores are JSON numbers, written with a point as JSON requires');
  if (!settings.report) {
    const given = [isSet('reportBy'), isSet('reportDate'), isSet('reportRating')];
    const add = jobFileChange(settings, 'report')?.('PATH') ?? 'add --report PATH';
    named(given, (one) => `${one ? 'it shapes' : 'they shape'} the report, and no --report is given (${add}, or run 'sentiment-batch report' on the output afterwards)`);
  }
  return { warnings, notes };
}

/**
 * The Workers AI settings a flag or the job file gave to a model on this machine. They have defaults,
 * so only `given` tells an explicit --rpm 2000 from none. --concurrency is not named for --backend
 * local: it also sizes the pipeline's window of rows in flight (job/run.ts, 8 per request past 32),
 * the texts that model's batcher groups by length; the embedded model answers each row at once.
 */
function workersAiOnly(settings: JobSettings, shape: RunShape): Array<keyof JobSettings | false> {
  const given = (key: keyof JobSettings): keyof JobSettings | false => settings.given?.has(key) === true && key;
  return [
    given('baseUrl'),
    given('model'),
    given('rpm'),
    !shape.local && given('concurrency'),
    given('maxAttempts'),
    given('timeoutMs'),
  ];
}
