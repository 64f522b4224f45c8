/**
 * Settings that the chosen backend or input format has no use for. They are
 * accepted (a job file shared between backends should not fail) but never
 * silently: each gets one warning line, so a user who expected --threads to
 * speed up the embedded model learns that it did nothing.
 */
import type { JobSettings } from '../config/options.js';
import type { InputFormat } from '../io/format.js';

export interface RunShape {
  /** Requests go over the network (Workers AI). */
  remote: boolean;
  /** --backend local: the ONNX model on this machine. */
  local: boolean;
  format: InputFormat;
}

export function ignoredSettingWarnings(settings: JobSettings, shape: RunShape): string[] {
  const warnings: string[] = [];
  if (!shape.remote && settings.redis) warnings.push('--redis is ignored: a model on this machine sends no requests to share a limit for');
  if (!shape.remote) {
    // The budgets are charged per request sent (job/row-scorer.ts): a model on this machine sends none.
    const given = [settings.maxRequests !== undefined && '--max-requests', settings.maxNeurons !== undefined && '--max-neurons'];
    warnings.push(...ignored(given, (one) => `${one ? 'it budgets' : 'they budget'} the requests sent to Workers AI, and a model on this machine sends none`));
    warnings.push(...ignored(workersAiOnly(settings, shape), (one) => `${one ? 'it applies' : 'they apply'} to Workers AI only`));
  }
  // Only the models with DistilBERT's window (Workers AI, --backend local) use the cache.
  if (!shape.remote && !shape.local && settings.cache) warnings.push('--cache is ignored: the embedded model scores a text faster than the cache could look it up');
  if (!shape.local) {
    // --device is undefined unless given, so an explicit --device cpu is named too. --model-dir is the
    // flag or job file only: SENTIMENT_BATCH_MODEL_DIR describes the machine (an image's model), not the job.
    const given = [
      settings.modelDir !== undefined && '--model-dir',
      settings.threads !== undefined && '--threads',
      settings.localBatch !== undefined && '--local-batch',
      settings.device !== undefined && '--device',
    ];
    warnings.push(...ignored(given, (one) => `${one ? 'it applies' : 'they apply'} to --backend local only`));
  }
  if (shape.format === 'jsonl' && settings.delimiter !== undefined) warnings.push('--delimiter is ignored: the input is JSONL, which has no delimiter');
  if (!settings.report) {
    const given = [settings.reportBy !== undefined && '--report-by', settings.reportDate !== undefined && '--report-date', settings.reportRating !== undefined && '--report-rating'];
    warnings.push(
      ...ignored(given, (one) => `${one ? 'it shapes' : 'they shape'} the report, and no --report is given (add --report PATH, or run 'sentiment-batch report' on the output afterwards)`),
    );
  }
  return warnings;
}

/**
 * The Workers AI settings a flag or the job file gave to a model on this machine. They have defaults,
 * so only `given` tells an explicit --rpm 2000 from none. --concurrency is not named for --backend
 * local: it also sizes the pipeline's window of rows in flight (job/run.ts, 8 per request past 32),
 * the texts that model's batcher groups by length; the embedded model answers each row at once.
 */
function workersAiOnly(settings: JobSettings, shape: RunShape): Array<string | false> {
  const given = (key: keyof JobSettings, flag: string): string | false => settings.given?.has(key) === true && flag;
  return [
    given('baseUrl', '--base-url'),
    given('model', '--model'),
    given('rpm', '--rpm'),
    !shape.local && given('concurrency', '--concurrency'),
    given('maxAttempts', '--max-attempts'),
    given('timeoutMs', '--timeout'),
  ];
}

/** "--a, --b are ignored: WHY" for the flags given (`false` for one not given); nothing when none was. */
function ignored(flags: ReadonlyArray<string | false>, why: (one: boolean) => string): string[] {
  const given = flags.filter((flag): flag is string => flag !== false);
  if (given.length === 0) return [];
  const one = given.length === 1;
  return [`${given.join(', ')} ${one ? 'is' : 'are'} ignored: ${why(one)}`];
}
