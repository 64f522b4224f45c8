import { describe, expect, it } from 'vitest';
import { DEFAULTS, type JobSettings } from '../src/config/options.js';
import { ignoredSettings, type RunShape } from '../src/job/ignored-settings.js';

const settings = (over: Partial<JobSettings>): JobSettings => ({ ...DEFAULTS, input: 'in.csv', output: 'out.csv', ...over });
const embedded: RunShape = { remote: false, local: false, format: 'csv' };
const workersAi: RunShape = { remote: true, local: false, format: 'csv' };
const local: RunShape = { remote: false, local: true, format: 'csv' };

describe('warnings for settings the run has no use for', () => {
  it('says nothing for the defaults, whatever the backend', () => {
    for (const shape of [embedded, workersAi, local]) expect(ignoredSettings(settings({}), shape).warnings).toEqual([]);
  });

  it('names the local-only flags given to another backend, in one line', () => {
    const given = settings({ threads: 2, localBatch: 8, device: 'cuda' });
    expect(ignoredSettings(given, embedded).warnings).toEqual(['--threads, --local-batch, --device are ignored: they apply to --backend local only']);
    expect(ignoredSettings(settings({ threads: 2 }), workersAi).warnings).toEqual(['--threads is ignored: it applies to --backend local only']);
    expect(ignoredSettings(given, local).warnings).toEqual([]);
  });

  it('names --model-dir and an explicit --device cpu given to another backend', () => {
    const given = settings({ modelDir: '/models/distilbert', device: 'cpu' });
    expect(ignoredSettings(given, embedded).warnings).toEqual(['--model-dir, --device are ignored: they apply to --backend local only']);
    expect(ignoredSettings(settings({ device: 'cpu' }), workersAi).warnings).toEqual(['--device is ignored: it applies to --backend local only']);
    expect(ignoredSettings(given, local).warnings).toEqual([]);
  });

  it('names the request budgets given to a model on this machine, which sends no request', () => {
    const given = settings({ maxRequests: 100, maxNeurons: 5000 });
    for (const shape of [embedded, local]) {
      expect(ignoredSettings(given, shape).warnings).toEqual(['--max-requests, --max-neurons are ignored: they budget the requests sent to Workers AI, and a model on this machine sends none']);
    }
    expect(ignoredSettings(settings({ maxRequests: 100 }), embedded).warnings).toEqual([
      '--max-requests is ignored: it budgets the requests sent to Workers AI, and a model on this machine sends none',
    ]);
    expect(ignoredSettings(given, workersAi).warnings).toEqual([]);
  });

  it('names the Workers AI settings a flag or the job file gave to a model on this machine, defaults or not', () => {
    const keys = ['baseUrl', 'model', 'rpm', 'concurrency', 'maxAttempts', 'timeoutMs'] as const;
    // --rpm 2000 is the default's value: given, it is still named.
    const given = settings({ baseUrl: 'http://127.0.0.1:1', model: '@cf/x', rpm: 2000, concurrency: 4, maxAttempts: 2, timeoutMs: 5000, given: new Set(keys) });
    expect(ignoredSettings(given, embedded).warnings).toEqual(['--base-url, --model, --rpm, --concurrency, --max-attempts, --timeout are ignored: they apply to Workers AI only']);
    // --concurrency also sizes the window of rows in flight that --backend local batches from.
    expect(ignoredSettings(given, local).warnings).toEqual(['--base-url, --model, --rpm, --max-attempts, --timeout are ignored: they apply to Workers AI only']);
    expect(ignoredSettings(given, workersAi).warnings).toEqual([]);
    expect(ignoredSettings(settings({ rpm: 10, given: new Set(['rpm']) }), embedded).warnings).toEqual(['--rpm is ignored: it applies to Workers AI only']);
    expect(ignoredSettings(settings({ concurrency: 4, given: new Set(['concurrency']) }), local).warnings).toEqual([]);
    // Set by the environment (CLOUDFLARE_BASE_URL) or a default: not given, not named.
    expect(ignoredSettings(settings({ baseUrl: 'http://127.0.0.1:1', rpm: 10, given: new Set() }), embedded).warnings).toEqual([]);
  });

  it('warns about --cache and --redis where no request is cached or limited', () => {
    const given = settings({ cache: '/tmp/c', redis: 'redis://127.0.0.1', given: new Set(['cache', 'redis']) });
    expect(ignoredSettings(given, embedded).warnings).toHaveLength(2);
    expect(ignoredSettings(given, local).warnings).toEqual([expect.stringMatching(/^--redis is ignored/)]);
    expect(ignoredSettings(given, workersAi).warnings).toEqual([]);
    // From REDIS_URL alone: it describes the machine (set there for the jobs that send requests), as CLOUDFLARE_BASE_URL
    // does, and a nightly embedded job on that machine warned of it every night. Nothing said, at any level.
    for (const shape of [embedded, local]) {
      expect(ignoredSettings(settings({ redis: 'redis://127.0.0.1' }), shape)).toEqual({ warnings: [], notes: [] });
    }
    // The job file's "redis" is the job's own: a line, as for --redis (a note when the file leaves the backend to be chosen).
    const inFile = (keys: ReadonlyArray<keyof JobSettings>) => settings({ redis: 'redis://127.0.0.1', given: new Set(keys), jobFile: { path: 'j.json', keys: new Set(keys) } });
    expect(ignoredSettings(inFile(['redis']), embedded).notes).toEqual([expect.stringMatching(/^"redis" in job file j\.json is ignored: a model on this machine/)]);
    expect(ignoredSettings(inFile(['redis', 'backend']), embedded).warnings).toEqual([expect.stringMatching(/^"redis" in job file j\.json is ignored: a model on this machine/)]);
  });

  it('names what the job file gave by its key in that file, and the flags as flags', () => {
    // The file pins the backend that has no use for them: the file contradicts itself, a warning.
    const jobFile = { path: 'jobs/nightly-reviews.json', keys: new Set(['backend', 'rpm', 'concurrency', 'maxAttempts', 'threads'] as const) };
    const fromFile = settings({ backend: 'embedded', rpm: 2000, concurrency: 48, maxAttempts: 6, threads: 2, given: new Set(['backend', 'rpm', 'concurrency', 'maxAttempts', 'threads']), jobFile });
    expect(ignoredSettings(fromFile, embedded).warnings).toEqual([
      '"rpm", "concurrency", "maxAttempts" in job file jobs/nightly-reviews.json are ignored: they apply to Workers AI only',
      '"threads" in job file jobs/nightly-reviews.json is ignored: it applies to --backend local only',
    ]);
    expect(ignoredSettings(fromFile, embedded).notes).toEqual([]);
    // --timeout on the command line, rpm in the file (a flag overriding a key is the flag's: see resolveSettings).
    const mixed = settings({ backend: 'embedded', rpm: 10, timeoutMs: 5000, given: new Set(['backend', 'rpm', 'timeoutMs']), jobFile: { path: 'j.json', keys: new Set(['backend', 'rpm'] as const) } });
    expect(ignoredSettings(mixed, embedded).warnings).toEqual(['--timeout and "rpm" in job file j.json are ignored: they apply to Workers AI only']);
  });

  // The README's example job (jobs/nightly-reviews.json: "rpm", "concurrency", "maxAttempts", no "backend") warned on
  // every run without credentials: a job file written for Workers AI that runs wherever the backend is chosen for it.
  it('says at info level, not as a warning, what a job file that does not pick the backend gave for another one', () => {
    const jobFile = { path: 'jobs/nightly-reviews.json', keys: new Set(['rpm', 'concurrency', 'maxAttempts', 'threads', 'maxRequests', 'cache'] as const) };
    const keys = new Set(['rpm', 'concurrency', 'maxAttempts', 'threads', 'maxRequests', 'cache'] as const);
    const fromFile = settings({ rpm: 2000, concurrency: 48, maxAttempts: 6, threads: 2, maxRequests: 100, cache: '/tmp/c', given: keys, jobFile });
    expect(ignoredSettings(fromFile, embedded)).toEqual({
      warnings: [],
      notes: [
        '"maxRequests" in job file jobs/nightly-reviews.json is ignored: it budgets the requests sent to Workers AI, and a model on this machine sends none',
        '"rpm", "concurrency", "maxAttempts" in job file jobs/nightly-reviews.json are ignored: they apply to Workers AI only',
        '"cache" in job file jobs/nightly-reviews.json is ignored: the embedded model scores a text faster than the cache could look it up',
        '"threads" in job file jobs/nightly-reviews.json is ignored: it applies to --backend local only',
      ],
    });
    // --backend embedded typed for this run overrides the file's choice for one run: the file's keys are still for another backend.
    const typed = { ...fromFile, backend: 'embedded' as const, given: new Set([...keys, 'backend' as const]) };
    expect(ignoredSettings(typed, embedded).warnings).toEqual([]);
    // A flag typed with the file is the user's own: still a warning, and the file's key beside it a note.
    const mixed = settings({ rpm: 10, timeoutMs: 5000, given: new Set(['rpm', 'timeoutMs']), jobFile: { path: 'j.json', keys: new Set(['rpm'] as const) } });
    expect(ignoredSettings(mixed, embedded)).toEqual({
      warnings: ['--timeout is ignored: it applies to Workers AI only'],
      notes: ['"rpm" in job file j.json is ignored: it applies to Workers AI only'],
    });
    // Not about the backend: a "delimiter" in a job file for a JSONL input, report columns without "report", still warn.
    const input = settings({ delimiter: ';', reportBy: 'product', given: new Set(['delimiter', 'reportBy']), jobFile: { path: 'j.json', keys: new Set(['delimiter', 'reportBy'] as const) } });
    expect(ignoredSettings(input, { ...embedded, format: 'jsonl' }).warnings).toHaveLength(2);
  });

  it('names the report columns given without --report, in one line, whatever the backend', () => {
    const given = settings({ reportBy: 'product', reportDate: 'date', reportRating: 'stars' });
    for (const shape of [embedded, workersAi, local]) {
      expect(ignoredSettings(given, shape).warnings).toEqual([
        "--report-by, --report-date, --report-rating are ignored: they shape the report, and no --report is given (add --report PATH, or run 'sentiment-batch report' on the output afterwards)",
      ]);
    }
    expect(ignoredSettings(settings({ reportDate: 'date' }), embedded).warnings).toEqual([expect.stringMatching(/^--report-date is ignored: it shapes the report, and no --report is given/)]);
    expect(ignoredSettings({ ...given, report: 'r.html' }, embedded).warnings).toEqual([]);
  });

  it('warns about --delimiter on JSONL only', () => {
    expect(ignoredSettings(settings({ delimiter: ';' }), { ...embedded, format: 'jsonl' }).warnings).toEqual(['--delimiter is ignored: the input is JSONL, which has no delimiter']);
    expect(ignoredSettings(settings({ delimiter: ';' }), embedded).warnings).toEqual([]);
  });
});
