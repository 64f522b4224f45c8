import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJobFlags, readJobFile, resolveSettings } from '../src/config/resolve.js';
import { textNamed } from '../src/config/setting-names.js';
import { ErrorGuard } from '../src/job/error-guard.js';
import { allTextEmptyWarning } from '../src/job/empty-text.js';
import { jobLimitsOf, judgeJob } from '../src/job/job-failures.js';
import { mendedSummary } from '../src/mend/mended-summary.js';
import { chooseBackend } from '../src/job/backend.js';
import { refuseHalfCredentials } from '../src/config/credentials.js';
import { decideStart } from '../src/job/resume.js';
import { RunBudget } from '../src/job/run-budget.js';
import { StopController } from '../src/job/stop.js';
import { settingName, settingToChange, settingWords } from '../src/config/setting-names.js';
import { createLocalBackend } from '../src/scoring/local/backend-settings.js';
import { ignoredSettings } from '../src/job/ignored-settings.js';
import { rateLimitedAdvice } from '../src/wording/rate-limited.js';
import { createLogger } from '../src/log.js';
import { openSource } from '../src/job/source.js';
import { emptyTotals } from '../src/state/totals.js';

/**
 * A job file's "textColumn" or "textField" that names a column the input lacks (or one of numbers, an object, a
 * column blank throughout) was said with a flag nobody typed: `--text-column 'body' is not in the header` to whoever
 * wrote "textColumn": "body" in a job file; so were its "maxErrors" and "maxErrorRate" (`limit --max-error-rate 0.1`), the advice for a "delimiter" or
 * "format" that did not fit the file (`add --delimiter ';'`), "backend", "resume": "require" and "maxRequests".
 * The messages name the key as the file spells it; a flag still overrides the job file, and is then the one named.
 */
describe('messages about the text and the limits name the job file key that gave them', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'text-names-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const csv = write('r.csv', ['id,review,stars,blank', ...Array.from({ length: 12 }, (_, i) => `${i},a lovely little thing number ${i},${(i % 5) + 1},`)].join('\n') + '\n');
  const jsonl = write('r.jsonl', Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: i, review: { body: `a lovely little thing ${i}` }, stars: (i % 5) + 1 })).join('\n') + '\n');
  /** The settings of `run JOB [argv]` for a job file holding `keys`, as the command resolves them. */
  const settingsOf = (input: string, keys: Record<string, unknown>, argv: string[] = []) => {
    const job = write(`job-${Object.keys(keys).join('-')}-${Object.values(keys).join('-')}.json`, JSON.stringify({ input, output: path.join(dir, 'out'), ...keys }));
    return { job, settings: resolveSettings({ flags: parseJobFlags(argv).flags, jobFile: readJobFile(job), jobFilePath: job, env: {} }) };
  };
  const refusal = async (input: string, keys: Record<string, unknown>, argv: string[] = []): Promise<{ job: string; message: string }> => {
    const { job, settings } = settingsOf(input, keys, argv);
    const error = await openSource(settings, input).then(() => undefined, (e: unknown) => e as Error);
    if (error === undefined) throw new Error('not refused');
    return { job, message: error.message };
  };

  it('a column the header lacks, a field no record has: the key, as the file spells it', async () => {
    const column = await refusal(csv, { textColumn: 'body' });
    expect(column.message).toBe(`job file ${column.job}: "textColumn" 'body' is not in the header; the columns are: 'id', 'review', 'stars', 'blank' (did you mean 'review'?)`);
    // "textField" on a CSV names its column: the key written, not the other spelling.
    // A list in one string: the job file's way to name several is an array.
    const list = await refusal(csv, { textColumn: 'id,review' });
    expect(list.message).toMatch(/^job file .*: "textColumn" 'id,review' is not in the header; the columns are: 'id', 'review', 'stars', 'blank'; it names 2 of them: to join their texts, set "textColumn" in the job file to \["id","review"\]$/);
    const field = await refusal(csv, { textField: 'body' });
    expect(field.message).toMatch(/^job file .*: "textField" 'body' is not in the header;/);
    const fields = await refusal(jsonl, { textField: 'id, review.body' });
    expect(fields.message).toMatch(/^job file .*: "textField" 'id, review\.body' is in none of the first 12 records; their fields are: 'id', 'review\.body', 'stars'; it names 2 of them: to join their texts, set "textField" in the job file to \["id","review\.body"\]$/);
    const missing = await refusal(jsonl, { textField: 'body' });
    expect(missing.message).toMatch(/^job file .*: "textField" 'body' is in none of the first 12 records; their fields are: 'id', 'review\.body', 'stars'/);
    // A flag overrides the job file: the flag typed is named.
    const flag = await refusal(csv, { textColumn: 'review' }, ['--text-column', 'body']);
    expect(flag.message).toMatch(/^--text-column 'body' is not in the header;/);
    const twice = await refusal(write('twice.csv', 'id,review,review\n1,a,b\n'), { textColumn: 'review' });
    expect(twice.message).toMatch(new RegExp(`^job file ${twice.job.replace(/[.]/g, '\\.')}: "textColumn" 'review' is ambiguous: the header has it 2 times \\(columns 2, 3\\); rename one of them, or, for an export you cannot edit: awk `));
  });

  // "add --delimiter ';'" to whoever wrote "delimiter": "|" in a job file named a flag, and "add" one more setting.
  it('a delimiter, a format or a prefix the job file gave that does not fit the file: the advice sets its key', async () => {
    const semicolons = write('semi.csv', 'id;review\n1;great little speaker\n');
    expect((await refusal(semicolons, { textColumn: 'review', delimiter: '|' })).message).toMatch(/the file looks ';'-separated: set "delimiter" in the job file to ";"$/);
    // A job file without "delimiter": the key to add (a flag mended one run; the file, run every night, failed again).
    expect((await refusal(semicolons, { textColumn: 'review' })).message).toMatch(/the file looks ';'-separated: add "delimiter": ";" to the job file$/);
    expect((await refusal(semicolons, { textColumn: 'review', delimiter: '|' }, ['--delimiter', '|'])).message).toMatch(/: add --delimiter ';'$/);
    const excel = write('excel.csv', 'sep=;\nid;review\n1;great\n');
    expect((await refusal(excel, { textColumn: 'review', delimiter: ',' })).message).toMatch(/delete that line so the header comes first, then set "delimiter" in the job file to ";"$/);
    expect((await refusal(jsonl, { textColumn: 'review', format: 'csv' })).message).toMatch(/the file looks like JSON Lines, not CSV: name it \.jsonl, or set "format" in the job file to "jsonl"$/);
    expect((await refusal(csv, { textColumn: 'review', format: 'jsonl' })).message).toMatch(/so this is not JSON Lines: set "format" in the job file to "csv" \(or "tsv"\) if it is not JSON$/);
    expect((await refusal(csv, { textColumn: 'review' }, ['--format', 'jsonl'])).message).toMatch(/give the format with --format csv or --format tsv if it is not JSON$/);
    // An input scored before under the job file's "prefix".
    const scored = write('scored.csv', 'id,review,s_label\n1,great,POSITIVE\n');
    expect((await refusal(scored, { textColumn: 'review', prefix: 's' })).message).toMatch(/so it looks scored already; .* Score the original export, or set "prefix" in the job file to "s2"$/);
    expect((await refusal(scored, { textColumn: 'review' }, ['--prefix', 's'])).message).toMatch(/Score the original export, or name the new columns with --prefix \(e\.g\. --prefix s2\)$/);
    const scoredJsonl = write('scored.jsonl', '{"id":1,"review":"great","s":{"label":"POSITIVE"}}\n');
    expect((await refusal(scoredJsonl, { textField: 'review', prefix: 's' })).message).toMatch(/Score the original export, or set "prefix" in the job file to "s2"$/);
  });

  // `--backend workers-ai needs …`, `--resume require: cannot resume …`, `request budget (--max-requests 3)` to whoever
  // wrote "backend", "resume", "maxRequests" in a job file.
  it('the backend, --resume require and the budgets: named as the job file gave them', async () => {
    const backend = (keys: Record<string, unknown>, argv: string[] = []) => () => chooseBackend(settingsOf(csv, keys, argv).settings);
    expect(backend({ backend: 'workers-ai' })).toThrow(/^"backend": "workers-ai" in job file .*\.json needs CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN; set them \(or CLOUDFLARE_API_TOKEN_FILE\), or set "backend" in the job file to "embedded"$/);
    expect(backend({}, ['--backend', 'workers-ai'])).toThrow(/^--backend workers-ai needs CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN; .*, or use --backend embedded$/);
    expect(backend({ backend: 'embedded' })().why).toMatch(/^"backend": "embedded" in job file /);
    // Half the credentials under the job file's "backend": "auto": its key is what to change, as above.
    expect(() => refuseHalfCredentials(settingsOf(csv, { backend: 'auto', accountId: 'acct' }).settings)).toThrow(/^only "accountId" in job file .*\.json is set: Workers AI needs CLOUDFLARE_API_TOKEN too\. Set it \(or CLOUDFLARE_API_TOKEN_FILE\), or set "backend" in the job file to "embedded" to score offline on purpose$/);
    expect(() => refuseHalfCredentials(settingsOf(csv, { accountId: 'acct' }).settings)).toThrow(/, or add "backend": "embedded" to the job file to score offline on purpose$/);
    expect(() => refuseHalfCredentials(settingsOf(csv, { backend: 'embedded', accountId: 'acct' }, ['--backend', 'auto']).settings)).toThrow(/, or pass --backend embedded to score offline on purpose$/);

    const start = (keys: Record<string, unknown>, argv: string[] = []) => {
      const { settings } = settingsOf(csv, keys, argv);
      const require = settings.resume === 'require' ? settingName(settings, 'resume', '--resume', 'require') : undefined;
      return decideStart({ checkpointPath: path.join(dir, 'none.checkpoint.json'), partialPath: path.join(dir, 'none.partial'), outputPath: path.join(dir, 'none'), inputPath: csv, identity: { size: 0, mtimeMs: 0, dev: 0, ino: 0 } as never, settingsHash: '', restart: false, require, log: createLogger('silent') });
    };
    await expect(start({ resume: 'require' })).rejects.toThrow(/^"resume": "require" in job file .*\.json: cannot resume, there is no checkpoint\. To start over, run with --resume auto instead/);
    await expect(start({}, ['--resume', 'require'])).rejects.toThrow(/^--resume require: cannot resume, there is no checkpoint/);

    const pause = async (keys: Record<string, unknown>, argv: string[] = []): Promise<string> => {
      const { settings } = settingsOf(csv, keys, argv);
      const names = { maxRequests: settingWords(settings, 'maxRequests', '--max-requests', String(settings.maxRequests)).inline };
      const budget = new RunBudget({ maxRequests: settings.maxRequests, names }, new StopController());
      for (let i = 0; i < 5; i++) (await budget.reserve(1)).keep();
      return 'not paused';
    };
    await expect(pause({ maxRequests: 3 })).rejects.toThrow(`this run's request budget ("maxRequests" 3) is used up`);
    await expect(pause({}, ['--max-requests', '3'])).rejects.toThrow(`this run's request budget (--max-requests 3) is used up`);
  });

  it('numbers, an object: the key in the refusal and in its advice', async () => {
    const stars = await refusal(csv, { textColumn: 'stars' });
    expect(stars.message).toMatch(/^job file .*: "textColumn" 'stars' holds only numbers in the first 12 rows .*; the column 'review' holds text: set "textColumn" in the job file to "review"; if these are the reviews, add "allowNumericText": true to the job file$/);
    const jsonStars = await refusal(jsonl, { textField: 'stars' });
    expect(jsonStars.message).toMatch(/^job file .*: "textField" 'stars' holds only numbers .*: set "textField" in the job file to "review\.body"$/);
    const object = await refusal(jsonl, { textField: 'review' });
    expect(object.message).toMatch(/^job file .*: "textField" 'review' is an object, not text, in each of the first 12 records; the field 'review\.body' holds text: set "textField" in the job file to "review\.body"$/);
    const flag = await refusal(jsonl, { textField: 'id' }, ['--text-field', 'review']);
    expect(flag.message).toMatch(/^--text-field 'review' is an object, .*: run again with --text-field 'review\.body'$/);
    // One of several fields: the advice replaces that one in the array; `to "review.body"` dropped "id" from the text.
    const several = await refusal(jsonl, { textField: ['id', 'review'] });
    expect(several.message).toMatch(/^job file .*: "textField" 'review' is an object, .*: set "textField" in the job file to \["id","review\.body"\]$/);
  });

  it('a text blank in every row, and rows that could not be read: the key in the summary line and the stop', () => {
    const { settings } = settingsOf(csv, { textColumn: 'blank' });
    const totals = { ...emptyTotals(), read: 12, skipped: 12 };
    const summary = { totals, run: { totals, skippedByCode: { empty_text: 12 } } } as unknown as Parameters<typeof allTextEmptyWarning>[0];
    const choice = { format: 'csv' as const, text: ['blank'], named: textNamed(settings), longTextSkip: false };
    expect(allTextEmptyWarning(summary, choice, { likely: () => 'review' })).toBe(
      `no row was scored: "textColumn" 'blank' is empty in every one of the 12 rows; the column 'review' holds text: set "textColumn" in the job file to "review"`,
    );
    expect(allTextEmptyWarning(summary, choice, { likely: () => undefined })).toMatch(/; if another column holds the reviews, set "textColumn" in the job file to its name$/);

    const stop = (keys: Record<string, unknown>, argv: string[] = []): string | undefined => {
      const limits = jobLimitsOf(settingsOf(jsonl, keys, argv).settings, 'jsonl');
      const guard = new ErrorGuard(undefined, 0.5, limits.errorPlace, undefined, limits.names);
      const unreadable = { kind: 'failed', failure: { code: 'missing_text_field', message: 'no field' } } as const;
      for (let row = 0; row < 60; row += 1) {
        const tripped = guard.record(true, false, true, unreadable);
        if (tripped) return tripped.message;
      }
      return undefined;
    };
    expect(stop({ textField: 'review' })).toMatch(/; check the input and "textField" in the job file$/);
    expect(stop({ textField: 'review' }, ['--text-field', 'body'])).toMatch(/; check the input and --text-field$/);
    expect(stop({})).toMatch(/; check the input and "textField" in the job file$/);
  });

  // A job file that did not set the key got flag advice (`add --delimiter ';'`, `--prefix sentiment2`): it mended the
  // run typed once, and the nightly run of the file failed again every night. The advice adds the key to the file;
  // a flag given on the command line is still the one named.
  it('a job file that does not set the key: the advice adds it to the job file', async () => {
    const semicolons = write('semi2.csv', 'id;review\n1;great little speaker\n');
    expect((await refusal(semicolons, { textColumn: 'review' }, ['--delimiter', ','])).message).toMatch(/: add --delimiter ';'$/);
    const excel = write('excel2.csv', 'sep=;\nid;review\n1;great\n');
    expect((await refusal(excel, { textColumn: 'review' })).message).toMatch(/delete that line so the header comes first, then add "delimiter": ";" to the job file$/);
    const jsonlNamedCsv = write('lines.csv', '{"id":1,"review":"great"}\n');
    expect((await refusal(jsonlNamedCsv, { textColumn: 'review' })).message).toMatch(/the file looks like JSON Lines, not CSV: name it \.jsonl, or add "format": "jsonl" to the job file$/);
    const csvNamedJsonl = write('rows.jsonl', 'id,review\n1,great\n');
    expect((await refusal(csvNamedJsonl, { textField: 'review' })).message).toMatch(/so this is not JSON Lines: add "format": "csv" to the job file \(or "tsv"\) if it is not JSON$/);
    const scored = write('scored2.csv', 'id,review,sentiment_label\n1,great,POSITIVE\n');
    expect((await refusal(scored, { textColumn: 'review' })).message).toMatch(/Score the original export, or add "prefix": "sentiment2" to the job file$/);
    const scoredJsonl = write('scored2.jsonl', '{"id":1,"review":"great","sentiment":{"label":"POSITIVE"}}\n');
    expect((await refusal(scoredJsonl, { textField: 'review' })).message).toMatch(/Score the original export, or add "prefix": "sentiment2" to the job file$/);

    // "input": "-" without "output": the key to add.
    const stdinJob = write('stdin-job.json', JSON.stringify({ input: '-' }));
    expect(() => resolveSettings({ flags: {}, jobFile: readJobFile(stdinJob), jobFilePath: stdinJob, env: {} })).toThrow(
      /^reading standard input needs an output: add "output": "PATH" to the job file \("-" writes the records to standard output\)$/,
    );
    expect(() => resolveSettings({ flags: {}, env: {}, input: '-' })).toThrow(/^reading standard input needs an output: add -o PATH, or -o - to write/);

    // The default text: the key of the input's format, to add.
    expect((await refusal(csv, {})).message).toBe(
      `the text column 'text' (the default; name yours with "textColumn" in the job file) is not in the header; the columns are: 'id', 'review', 'stars', 'blank' (did you mean 'review'?)`,
    );
    expect((await refusal(jsonl, {})).message).toMatch(/^the text field 'text' \(the default; name yours with "textField" in the job file\) is in none of the first 12 records/);
    const numbers = write('numbers.csv', ['id,text,review', ...Array.from({ length: 12 }, (_, i) => `${i},${i * 3},a lovely little thing ${i}`)].join('\n') + '\n');
    expect((await refusal(numbers, {})).message).toMatch(/^the text column 'text' \(the default\) holds only numbers .*; the column 'review' holds text: add "textColumn": "review" to the job file; if these are the reviews, add "allowNumericText": true to the job file$/);
    expect((await refusal(numbers, {}, ['--text-column', 'text'])).message).toMatch(/: run again with --text-column 'review'; if these are the reviews, add "allowNumericText": true to the job file$/);
    const objects = write('objects.jsonl', Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: i, text: { body: `a lovely little thing ${i}` } })).join('\n') + '\n');
    expect((await refusal(objects, {})).message).toMatch(/^the text field 'text' \(the default; name yours with "textField" in the job file\) is an object, .*: add "textField": "text\.body" to the job file$/);
    const { settings } = settingsOf(csv, {});
    const totals = { ...emptyTotals(), read: 12, skipped: 12 };
    const summary = { totals, run: { totals, skippedByCode: { empty_text: 12 } } } as unknown as Parameters<typeof allTextEmptyWarning>[0];
    const choice = { format: 'csv' as const, text: ['text'], named: textNamed(settings), longTextSkip: false };
    expect(allTextEmptyWarning(summary, choice, { likely: () => 'review' })).toBe(`no row was scored: the text column 'text' (the default) is empty in every one of the 12 rows; the column 'review' holds text: add "textColumn": "review" to the job file`);
    expect(allTextEmptyWarning(summary, choice, { likely: () => undefined })).toMatch(/; if another column holds the reviews, add "textColumn" to the job file with its name$/);

    // The backend: half credentials (above), a model folder not in the cache; a report's columns without "report".
    const hub = path.join(dir, 'empty-hub');
    mkdirSync(hub);
    const local = (argv: string[] = []) => createLocalBackend(settingsOf(csv, { backend: 'local' }, argv).settings, createLogger('silent'), { HF_HUB_CACHE: hub });
    await expect(local()).rejects.toThrow(/: run `sentiment-batch model pull` once \(it needs the internet\), or point "modelDir" in the job file at a copy$/);
    await expect(local(['--model-dir', path.join(hub, 'none')])).rejects.toThrow(/or copy a pulled model folder there$/);
    // "device": "cuda" refused on a machine without the GPU provider (as local-model.test's --device cuda): the key, and the advice sets it.
    const cuda = (argv: string[] = []) => createLocalBackend(settingsOf(csv, { backend: 'local', device: 'cuda', modelDir: 'models' }, argv).settings, createLogger('silent'), { HF_HUB_CACHE: hub });
    await expect(cuda()).rejects.toThrow(/^"device": "cuda" in job file .*\.json: .*(; set "device" in the job file to "cpu"|Set "device" in the job file to "cpu" meanwhile\.)$/);
    await expect(cuda(['--device', 'cuda'])).rejects.toThrow(/^--device cuda: .*(; use --device cpu|Use --device cpu meanwhile\.)$/);
    const shape = { remote: false, local: false, format: 'csv' as const };
    expect(ignoredSettings(settingsOf(csv, { reportBy: 'stars' }).settings, shape).warnings.join('\n')).toMatch(/no --report is given \(add "report": "PATH" to the job file, or run 'sentiment-batch report'/);
    // No job file (score): the flag.
    expect(ignoredSettings({ ...settingsOf(csv, { reportBy: 'stars' }).settings, jobFile: undefined }, shape).warnings.join('\n')).toMatch(/no --report is given \(add --report PATH, or/);
    // Rows that gave up on 429s: what to lower is the job file's "rpm".
    expect(rateLimitedAdvice(3, ['3021'], false, { rpm: settingToChange(settings, 'rpm', '--rpm'), redis: settingToChange(settings, 'redis', '--redis') })).toMatch(
      /; lower "rpm" in the job file, or share the limit with the other jobs through "redis" in the job file \(docs\/shared-limit\.md\)$/,
    );
    // What the run kept to is no flag either: the file's "rpm" or the default ("although this run kept to --rpm" before).
    const jobFileNames = { rpm: settingToChange(settings, 'rpm', '--rpm'), redis: settingToChange(settings, 'redis', '--redis') };
    expect(rateLimitedAdvice(3, ['3021'], false, jobFileNames)).toMatch(/^3 rows gave up on .* although this run kept to its rate limit: /);
    const shared = rateLimitedAdvice(3, ['3021'], true, jobFileNames);
    expect(shared).toMatch(/ although this run kept to its rate limit shared through Redis: .*does not share this Redis uses .*; lower "rpm" in the job file \(every job sharing the limit\), or give that work the same Redis URL \(docs/);
    expect(shared).not.toContain('--');
    const flagged = settingsOf(csv, {}, ['--rpm', '100']).settings;
    expect(settingToChange(flagged, 'rpm', '--rpm')).toBe('--rpm');
  });

  // "maxErrors" and "maxErrorRate" in a job file were said as flags too: `limit --max-error-rate 0.1`, `(--max-errors)`.
  it('the limits: the stops mid-run, the verdict at the end, a mend\'s verdict name the key the job file gave', () => {
    const failed = { kind: 'failed', failure: { code: 'http_500', message: 'x', transient: true } } as const;
    const guardOf = (keys: Record<string, unknown>, argv: string[] = []) => {
      const limits = jobLimitsOf(settingsOf(csv, keys, argv).settings, 'csv');
      return { limits, guard: new ErrorGuard(limits.maxErrors, limits.maxErrorRate, limits.errorPlace, undefined, limits.names) };
    };
    const stopOf = (guard: ErrorGuard): string | undefined => {
      for (let row = 0; row < 100; row += 1) {
        const tripped = guard.record(true, true, false, failed);
        if (tripped) return tripped.message;
      }
      return undefined;
    };
    expect(stopOf(guardOf({ maxErrorRate: 0.1 }).guard)).toMatch(/^50 of the last 50 rows sent to the model failed \(limit "maxErrorRate" 0\.1\); stopping/);
    expect(stopOf(guardOf({ maxErrorRate: 0.1 }, ['--max-error-rate', '0.2']).guard)).toMatch(/\(limit --max-error-rate 0\.2\); stopping/);
    expect(stopOf(guardOf({ maxErrors: 3 }).guard)).toMatch(/^more than 3 rows failed \("maxErrors" in the job file\); the service is failing/);
    expect(stopOf(guardOf({}, ['--max-errors', '3']).guard)).toMatch(/^more than 3 rows failed \(--max-errors\); /);

    const { limits } = guardOf({ maxErrorRate: 0.1, maxErrors: 30 });
    const counts = { unreadable: 0, sent: 100, sentFailed: 20, sentFailedTransient: 20 };
    expect(judgeJob({ read: 100, failed: 20 }, counts, limits, 'the whole job')?.message).toMatch(/^20 of 100 rows sent to the model failed in the whole job \(limit "maxErrorRate" 0\.1\); the output is complete/);
    expect(judgeJob({ read: 100, failed: 40 }, { ...counts, sentFailed: 40, sentFailedTransient: 40 }, limits, 'this run')?.message).toMatch(/^40 rows failed in this run, more than "maxErrors" 30; the output is complete/);
    const totals = { ...emptyTotals(), read: 100, scored: 90, failed: 10 };
    const mended = mendedSummary({ ...totals, scored: 80, failed: 20 }, (status, exitCode, _totals, message) => ({ status, exitCode, message }) as never, { ...limits, failureCounts: undefined }, undefined, { looks: {} });
    expect((mended as { message?: string }).message).toMatch(/^20 of 100 rows read failed in the whole job \(limit "maxErrorRate" 0\.1\)/);
  });
});
