import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseReportArgs } from '../src/config/report-options.js';
import { parseJobFlags, readEnvironment, readJobFile, resolveSettings, defaultOutputPath } from '../src/config/resolve.js';
import { checkJobPaths } from '../src/paths/job-paths.js';
import { settingsFor } from '../src/commands/score.js';
import { parseServeArgs } from '../src/server/serve-command.js';
import { ConfigError } from '../src/errors.js';
import { tempDir } from './support/cli.js';
import { borrowedNameHint } from '../src/config/guessed-flags.js';

describe('configuration', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('flags override the job file, which overrides the environment and defaults', () => {
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'data/in.csv', rpm: 100, concurrency: 3, textColumn: 'body' }));
    const settings = resolveSettings({
      flags: parseJobFlags(['--rpm', '50', '--timeout', '2s']).flags,
      jobFile: readJobFile(job),
      env: readEnvironment({ CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: 'tok' }),
    });
    expect(settings.rpm).toBe(50);
    expect(settings.concurrency).toBe(3);
    expect(settings.timeoutMs).toBe(2000);
    expect(settings.text).toEqual(['body']);
    expect(settings.input).toBe(path.join(dir, 'data/in.csv'));
    expect(settings.output).toBe(path.join(dir, 'data/in.scored.csv'));
    expect(settings.accountId).toBe('acct');
    expect(settings.maxAttempts).toBe(6);
  });

  it.each([
    [['--rpm', 'fast'], "--rpm expects a positive integer, got 'fast'"],
    [['--rpm', '0'], "--rpm expects a positive integer, got '0'"],
    [['--timeout', 'soon'], "--timeout expects a duration, a number with a unit: ms, s, m or h (500ms, 30s, 2m, 1h), got 'soon'"],
    [['--timeout', '30'], "--timeout expects a duration, a number with a unit: ms, s, m or h (500ms, 30s, 2m, 1h), got '30'"],
    [['--grace', '5'], "--grace expects a duration, a number with a unit: ms, s, m or h (500ms, 30s, 2m, 1h), got '5'"],
    [['--checkpoint-interval', '2000'], "--checkpoint-interval expects a duration, a number with a unit: ms, s, m or h (500ms, 30s, 2m, 1h), got '2000'"],
    // Past 2^31 - 1 ms Node fires the timer after 1 ms: every attempt would time out at once.
    [['--timeout', '35792m'], "--timeout expects a duration of at most 35791m (about 24.8 days, the longest timer Node.js can set), got '35792m'"],
    [['--grace', '2147484s'], "--grace expects a duration of at most 35791m (about 24.8 days, the longest timer Node.js can set), got '2147484s'"],
    [['--checkpoint-interval', '2147483648ms'], '--checkpoint-interval expects a duration of at most 35791m'],
    // 0s is no timeout at all: every attempt would time out; refused on every backend, at start.
    [['--timeout', '0s'], "--timeout expects a duration above 0 (an attempt given no time can only time out), got '0s'"],
    [['--timeout', '0.4ms'], "--timeout expects a duration above 0"],
    // A checkpoint every instant fsyncs without pause: a 9,000-row embedded run took 109 s instead of 4.7 s at 2s and 4.2 s at 100ms.
    [['--checkpoint-interval', '0s'], "--checkpoint-interval expects a duration of at least 100ms (each checkpoint waits for the disk: more often slows the run many times over), got '0s'"],
    [['--checkpoint-interval', '99ms'], '--checkpoint-interval expects a duration of at least 100ms'],
    [['--backend', 'gpu'], "--backend expects one of auto, workers-ai, embedded, local, got 'gpu'"],
    [['--delimiter', ';;'], "--delimiter expects a single character such as , ; or tab, got ';;'"],
    // `--delimiter \t` typed bare: the shell drops the backslash and the file was split at every letter t (columns
    // 'id\tda', 'e\treview\ts', 'ars', with 'did you mean' one of them); no export separates its cells by a letter.
    [['--delimiter', 't'], "--delimiter 't' is the letter t: a shell passes an unquoted \\t as t (it drops the backslash); for a tab write --delimiter tab (or '\\t', quoted)"],
    [['--delimiter', 'x'], "--delimiter 'x' is a letter, which would split the export's words into cells; give the character between its cells, such as , ; | or tab"],
    [['--delimiter', '5'], "--delimiter '5' is a digit, which would split the export's numbers into cells; give the character between its cells, such as , ; | or tab"],
    // `--delimiter ;` typed bare: the shell ends the command at the ; and the flag arrives last, with no value.
    [['--delimiter'], "--delimiter needs a value: a shell ends a command at a bare ; or | (and & sends it to the background), so --delimiter ; passes nothing: quote the character, --delimiter ';' (see sentiment-batch score --help)"],
    [['--max-error-rate', '2'], "--max-error-rate expects a number above 0 and at most 1, got '2'"],
    [['--nope'], "unknown option '--nope' for score; see sentiment-batch score --help"],
    [['--rmp', '5'], "unknown option '--rmp' for score (did you mean --rpm?)"],
    // A known flag with more after it: `--report-path r.html` was asked 'did you mean --report-date?', a letter count
    // closer than --report, the flag it names; `--output-dir` got no suggestion. A typo a letter off still wins.
    [['--report-path', 'r.html'], "unknown option '--report-path' for score (did you mean --report?)"],
    [['--output-dir', 'out'], "unknown option '--output-dir' for score (did you mean --output?)"],
    [['--output-file', 'o.csv'], "unknown option '--output-file' for score (did you mean --output?)"],
    [['--report-by-column', 'store'], "unknown option '--report-by-column' for score (did you mean --report-by?)"],
    [['--report-dat', 'date'], "unknown option '--report-dat' for score (did you mean --report-date?)"],
    // The longer name it begins with, not the shorter one at a word boundary: --model takes a Workers AI model id.
    [['--model-directory', 'm'], "unknown option '--model-directory' for score (did you mean --model-dir?)"],
    // The names a first try borrows from other tools (pandas' usecols, csvkit's -c, jq's field): '--column review' on the
    // App Store export got no suggestion at all, and '--input' sent the user to --help to find the input is no option.
    [['--column', 'review'], "unknown option '--column' for score (did you mean --text-column?)"],
    [['--field', 'review.body'], "unknown option '--field' for score (did you mean --text-field?)"],
    [['--review-column', 'review'], "unknown option '--review-column' for score (did you mean --text-column?)"],
    [['--input', 'in.csv'], "unknown option '--input' for score: the input is no option but the word after the command, sentiment-batch score FILE [options]; see sentiment-batch score --help"],
    [['--rpm', '-5'], "--rpm expects a positive integer, got '-5'"],
    [['--rpm', '999999999999'], "--rpm expects a positive integer of at most 1,000,000, got '999999999999'"],
    [['--rpm'], '--rpm needs a value'],
    [['-o', '--rpm', '5'], '--output needs a value, got the option --rpm'],
    // A known short option is a forgotten value too, like a long one (was taken as the column name).
    [['--text-column', '-o', 'out.csv'], '--text-column needs a value, got the option -o (write --text-column=VALUE for a value that starts with a dash)'],
    [['--text-column', '-oout.csv'], '--text-column needs a value, got the option -oout.csv'],
    [['--text-column', '-h'], '--text-column needs a value, got the option -h'],
    [['-o', '-h'], '--output needs a value, got the option -h'],
    [['--restart=yes'], "--restart takes no value, got 'yes'"],
    // Checked here for every command (estimate took 'notaurl' and exited 0; e2e-base-url-checked.test.ts); user:password not echoed.
    [['--base-url', 'notaurl'], "--base-url expects an http(s) URL, got 'notaurl': write http://notaurl"],
    // A query or fragment swallowed the request's path (POST /client/v4?x=1/accounts/…), scored at exit 0 by a lenient server.
    [['--base-url', 'http://127.0.0.1:8787/client/v4?x=1'], "--base-url may not hold a query ('?…'), got 'http://127.0.0.1:8787/client/v4?x=1': remove the '?' and what follows: the request's path is added after the base URL"],
    [['--base-url', 'http://127.0.0.1:8787/client/v4#v4'], "--base-url may not hold a fragment ('#…'), got 'http://127.0.0.1:8787/client/v4#v4': remove the '#' and what follows: the request's path is added after the base URL"],
    [['--base-url', 'http://127.0.0.1:8787/client/v4?'], "--base-url may not hold a query ('?…'), got 'http://127.0.0.1:8787/client/v4?': remove the '?' and what follows: the request's path is added after the base URL"],
    [['--base-url', 'https://user:s3cret@gw.example/v4'], '--base-url expects a base URL without user:password (the API token is the only credential), got one with credentials'],
  ])('rejects %j with a message saying what was expected', (argv, message) => {
    expect(() => parseJobFlags(argv)).toThrow(ConfigError);
    expect(() => parseJobFlags(argv)).toThrow(message);
  });

  it('still takes a dash-led word that is no known option as the value, and --flag=VALUE for one that is', () => {
    expect(parseJobFlags(['-o', '-']).flags.output).toBe('-');
    expect(parseJobFlags(['--text-column', '-x']).flags.text).toEqual(['-x']);
    expect(parseJobFlags(['--text-column=-o']).flags.text).toEqual(['-o']);
    expect(parseJobFlags(['-o-h']).flags.output).toBe('-h');
  });

  it('takes the shortest durations that make sense: --checkpoint-interval 100ms, --timeout 1ms, --grace 0s (no grace)', () => {
    expect(parseJobFlags(['--checkpoint-interval', '100ms']).flags.checkpointIntervalMs).toBe(100);
    expect(parseJobFlags(['--timeout', '1ms']).flags.timeoutMs).toBe(1);
    expect(parseJobFlags(['--grace', '0s']).flags.graceMs).toBe(0);
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'x.csv', checkpointInterval: '0s' }));
    expect(() => readJobFile(job)).toThrow('"checkpointInterval" expects a duration of at least 100ms');
  });

  it("a review export given to 'run' is refused by its name, saying to use score, before it is read (was: 'is not valid JSON: Unexpected token', after reading it whole)", () => {
    for (const name of ['reviews.csv', 'export.JSONL.gz', 'r.tsv', 'r.ndjson']) {
      const input = path.join(dir, name);
      writeFileSync(input, 'id,text\n1,great\n');
      expect(() => readJobFile(input)).toThrow(
        `run takes a job file (JSON), and ${input} is a review export: to score it, run sentiment-batch score ${input} (with the same options)`,
      );
    }
  });

  // BigQuery names its JSON Lines exports .json (export-000000000000.json, gzip: .json.gz): given to 'run', the first was
  // 'is not valid JSON: Unexpected non-whitespace character after JSON at position 190', the second printed its gzip bytes.
  it("a JSON Lines export named .json, or a .json.gz, given to 'run' is named as an export to score with --format jsonl", () => {
    const lines = path.join(dir, 'export-000000000000.json');
    writeFileSync(lines, '{"review_id":"1","review":{"body":"great"}}\n{"review_id":"2","review":{"title":"t"}}\n');
    expect(() => readJobFile(lines)).toThrow(
      `run takes a job file (JSON), and ${lines} holds one JSON object per line, a JSON Lines export: to score it, run sentiment-batch score ${lines} --format jsonl (with the same options)`,
    );
    const gzipped = path.join(dir, 'export-000000000000.json.gz');
    writeFileSync(gzipped, gzipSync('{"review_id":"1"}\n'));
    expect(() => readJobFile(gzipped)).toThrow(
      `run takes a job file (JSON), and ${gzipped} is gzip-compressed, an export: to score it, run sentiment-batch score ${gzipped} --format jsonl (with the same options)`,
    );
  });

  // A one-record BigQuery export named .json is read as a job file (by design: its name and its text are a job file's);
  // the line named its first key as unknown and listed the job file's keys, with no word that the file may be data.
  it("a .json none of whose keys is a job file's says that a record of an export is scored with 'score'", () => {
    const record = path.join(dir, 'export-000000000000.json');
    writeFileSync(record, '{"review_id":"1","review":"great"}\n');
    expect(() => readJobFile(record)).toThrow(
      `job file ${record}: unknown key 'review_id'; none of its keys is a job file's: if ${record} is data (one record of an export), score it: sentiment-batch score ${record} --format jsonl (with the same options). Known keys: `,
    );
    expect(() => readJobFile(record, 'estimate')).toThrow(`if ${record} is data (one record of an export), estimate it: sentiment-batch estimate ${record} --format jsonl (with the same options)`);
    // Written over several lines (jq . of a record), it is JSON Lines only once on one line: 'score x.json --format jsonl'
    // refused it ("the first line is '{' alone … jq -c '.[]'", whose '.[]' makes an object its values).
    const pretty = path.join(dir, 'record.json');
    writeFileSync(pretty, '{\n  "review_id": "1",\n  "review": "great"\n}\n');
    const prettyLines = path.join(dir, 'record.jsonl');
    expect(() => readJobFile(pretty)).toThrow(
      `none of its keys is a job file's: if ${pretty} is data (one record of an export), write it on one line and score that: jq -c . ${pretty} > ${prettyLines}; sentiment-batch score ${prettyLines} (with the same options). Known keys: `,
    );
    // A job file with one misspelt key among known ones is a job file: no such sentence.
    const job = path.join(dir, 'typo.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', textColum: 'review' }));
    expect(() => readJobFile(job)).toThrow(`job file ${job}: unknown key 'textColum' (did you mean textColumn?). Known keys: `);
  });

  // An export's columns can share a name with a job file's key: a product's 'description' or 'model'. Such a record had
  // one key a job file's and no word of being data; a job file's keys are mostly its own, a record's mostly not.
  it("a .json most of whose keys are no job file's says so too, naming the ones that are", () => {
    const record = path.join(dir, 'export-000000000001.json');
    writeFileSync(record, '{"review_id":"1","model":"Pixel 7","description":"Phone","review":"great","rating":5}\n');
    expect(() => readJobFile(record)).toThrow(
      `job file ${record}: unknown key 'review_id'; only 2 of its 5 keys are a job file's (model, description): if ${record} is data (one record of an export), score it: sentiment-batch score ${record} --format jsonl (with the same options). Known keys: `,
    );
    // Half a job file's keys or more: a job file with typos, no such sentence.
    const job = path.join(dir, 'typos.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', textColum: 'review' }));
    expect(() => readJobFile(job)).not.toThrow(/is data/);
    // Keys written as flags or in snake case are a job file's keys misspelt, not a record's columns.
    const flags = path.join(dir, 'flag-keys.json');
    writeFileSync(flags, JSON.stringify({ input: 'in.csv', 'text-column': 'review', max_requests: 10 }));
    expect(() => readJobFile(flags)).toThrow(`job file ${flags}: unknown key 'text-column' (did you mean textColumn?). Known keys: `);
  });

  it('takes several text columns from a repeated flag or a job file array, each named once', () => {
    expect(parseJobFlags(['--text-column', 'title', '--text-column', 'review']).flags.text).toEqual(['title', 'review']);
    expect(parseJobFlags(['--text-field', 'review.body']).flags.text).toEqual(['review.body']);
    expect(() => parseJobFlags(['--text-column', 'a', '--text-column', 'a'])).toThrow("--text-column names 'a' twice");
    expect(() => parseJobFlags(['--text-column', 'a', '--text-field', 'b'])).toThrow('--text-column and --text-field set the same thing; give only one of them');
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.jsonl', textField: ['Positive_Review', 'Negative_Review'] }));
    expect(readJobFile(job).text).toEqual(['Positive_Review', 'Negative_Review']);
    writeFileSync(job, JSON.stringify({ input: 'in.jsonl', textField: [] }));
    expect(() => readJobFile(job)).toThrow('"textField" expects a name or a list of names, got []');
    writeFileSync(job, JSON.stringify({ input: 'in.jsonl', textField: 'a', textColumn: 'b' }));
    expect(() => readJobFile(job)).toThrow('"textField" and "textColumn" set the same thing');
  });

  it('takes --limit as a positive whole number', () => {
    expect(parseJobFlags(['--limit', '20']).flags.limit).toBe(20);
    expect(() => parseJobFlags(['--limit', '0'])).toThrow("--limit expects a positive integer, got '0'");
  });

  it('a job file whose "delimiter" is a letter is refused without the shell advice (no shell read it)', () => {
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', delimiter: 't' }));
    expect(() => readJobFile(job)).toThrow(
      new ConfigError(`job file ${job}: "delimiter" 't' is a letter, which would split the export's words into cells; give the character between its cells, such as , ; | or tab`),
    );
  });

  it('reads a delimiter as one character, with spellings of tab', () => {
    expect(parseJobFlags(['--delimiter', ';']).flags.delimiter).toBe(';');
    expect(parseJobFlags(['--delimiter', 'tab']).flags.delimiter).toBe('\t');
    expect(parseJobFlags(['--delimiter', '\\t']).flags.delimiter).toBe('\t');
    for (const bad of ['', ';;', '||', '😀😀']) {
      expect(() => parseJobFlags(['--delimiter', bad])).toThrow(/--delimiter expects a single character such as , ; or tab/);
    }
    // One character of two UTF-16 units (an emoji, a CJK extension character) is one character too.
    // Was: "--delimiter expects a single character such as , ; or tab, got '😀'".
    expect(parseJobFlags(['--delimiter', '😀']).flags.delimiter).toBe('😀');
    expect(parseJobFlags(['--delimiter', '𠜎']).flags.delimiter).toBe('𠜎');
    // One character each, but CSV's own; said as such, and a line break is not printed raw (one line).
    expect(() => parseJobFlags(['--delimiter', '"'])).toThrow(new ConfigError('--delimiter cannot be "\\"" (CSV uses it for quoting or line endings); give another character such as , ; | or tab'));
    expect(() => parseJobFlags(['--delimiter', '\n'])).toThrow(new ConfigError('--delimiter cannot be "\\n" (CSV uses it for quoting or line endings); give another character such as , ; | or tab'));
    expect(() => parseJobFlags(['--delimiter', 'a\nb'])).toThrow(new ConfigError('--delimiter expects a single character such as , ; or tab, got "a\\nb"'));
  });

  // A delimiter named as a spreadsheet's dialog (and Miller's --ifs) names it: `--delimiter semicolon` was "expects a
  // single character such as , ; or tab, got 'semicolon'", and the ; then typed bare ends the shell's command.
  it('reads TAB in any case, and says how to write a delimiter given by its name', () => {
    expect(parseJobFlags(['--delimiter', 'TAB']).flags.delimiter).toBe('\t');
    expect(parseJobFlags(['--delimiter', 'Tab']).flags.delimiter).toBe('\t');
    expect(() => parseJobFlags(['--delimiter', 'semicolon'])).toThrow(
      new ConfigError("--delimiter takes the character itself, not its name: --delimiter ';' (quoted: a bare ; ends a shell command)"),
    );
    expect(() => parseJobFlags(['--delimiter', 'Pipe'])).toThrow(new ConfigError("--delimiter takes the character itself, not its name: --delimiter '|' (quoted: a bare | pipes)"));
    expect(() => parseJobFlags(['--delimiter', 'comma'])).toThrow(new ConfigError("--delimiter takes the character itself, not its name: --delimiter ','"));
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', delimiter: 'semicolon' }));
    expect(() => readJobFile(job)).toThrow(new ConfigError(`job file ${job}: "delimiter" takes the character itself, not its name: ";"`));
  });

  it('refuses a bare number as a duration in a job file too', () => {
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'x.csv', timeout: 30 }));
    expect(() => readJobFile(job)).toThrow(`job file ${job}: "timeout" expects a duration, a number with a unit: ms, s, m or h (500ms, 30s, 2m, 1h), got 30`);
    writeFileSync(job, JSON.stringify({ input: 'x.csv', timeout: '30s', grace: '1.5s', checkpointInterval: '500ms' }));
    expect(readJobFile(job)).toMatchObject({ timeoutMs: 30_000, graceMs: 1500, checkpointIntervalMs: 500 });
    // The longest accepted, and one past it.
    writeFileSync(job, JSON.stringify({ input: 'x.csv', timeout: '35791m', grace: '2147483647ms' }));
    expect(readJobFile(job)).toMatchObject({ timeoutMs: 35791 * 60_000, graceMs: 2 ** 31 - 1 });
    writeFileSync(job, JSON.stringify({ input: 'x.csv', grace: '50000m' }));
    expect(() => readJobFile(job)).toThrow(`job file ${job}: "grace" expects a duration of at most 35791m`);
  });

  it('takes hours in every duration option, within the same longest timer', () => {
    const flags = parseJobFlags(['--timeout', '1h', '--grace', '1.5h', '--checkpoint-interval', '2h']).flags;
    expect(flags).toMatchObject({ timeoutMs: 3_600_000, graceMs: 5_400_000, checkpointIntervalMs: 7_200_000 });
    expect(parseJobFlags(['--grace', '596h']).flags.graceMs).toBe(596 * 3_600_000);
    expect(() => parseJobFlags(['--grace', '597h'])).toThrow('--grace expects a duration of at most 35791m');
    expect(() => parseJobFlags(['--grace', '1d'])).toThrow("--grace expects a duration, a number with a unit: ms, s, m or h (500ms, 30s, 2m, 1h), got '1d'");
  });

  it('refuses a count past 2^53, which is not the number typed', () => {
    expect(() => parseJobFlags(['--limit', '99999999999999999999'])).toThrow(new ConfigError("--limit expects a whole number of at most 9,007,199,254,740,991, got '99999999999999999999'"));
    expect(parseJobFlags(['--limit', '9007199254740991']).flags.limit).toBe(Number.MAX_SAFE_INTEGER);
  });

  // A long option typed with one dash, as some tools (find, java) take them: `-output out.csv` was -o with the path 'utput'
  // ("score takes one input, got 2: sheets.csv out.csv"), `-help` was "--help takes no value, got 'elp'", and
  // `-text-column review` was "unknown option '-t'".
  it.each([
    [['-output', 'out.csv'], "unknown option '-output' for score: a long option takes two dashes, --output; see sentiment-batch score --help"],
    [['-help'], "unknown option '-help' for score: a long option takes two dashes, --help; see sentiment-batch score --help"],
    [['-text-column', 'review'], "unknown option '-text-column' for score: a long option takes two dashes, --text-column; see sentiment-batch score --help"],
    [['-limit=2'], "unknown option '-limit' for score: a long option takes two dashes, --limit; see sentiment-batch score --help"],
    [['-limt', '2'], "unknown option '-limt' for score (did you mean --limit?); see sentiment-batch score --help"],
  ])('names a long option written with one dash: %j', (argv, message) => {
    expect(() => parseJobFlags(argv)).toThrow(new ConfigError(message));
  });

  // A column named with a space and not quoted (`--text-column Review Text`, as Excel and Amazon exports name it): the
  // second word was a second input, "score takes one input, got 2: wide.csv Text", which says nothing of the quotes.
  it.each([
    [['wide.csv', '--text-column', 'Review', 'Text'], "'Text' follows --text-column Review as a word of its own: a value with a space needs quotes, --text-column 'Review Text'; see sentiment-batch score --help"],
    [['--text-column', 'Review', 'Text', 'wide.csv'], "'Text' follows --text-column Review as a word of its own: a value with a space needs quotes, --text-column 'Review Text'; see sentiment-batch score --help"],
    [['in.csv', '--text-column', "Customer's", 'Review', 'Body'], "'Review Body' follows --text-column Customer's as words of their own: a value with a space needs quotes, --text-column \"Customer's Review Body\"; see sentiment-batch score --help"],
  ])('says a value with a space needs quotes: %j', (argv, message) => {
    expect(() => parseJobFlags(argv)).toThrow(new ConfigError(message));
  });

  it('says so for report too, and leaves two exports or one input after a value as they were', () => {
    expect(() => parseReportArgs(['out.csv', '--by', 'Product', 'Category'])).toThrow(
      new ConfigError("'Category' follows --by Product as a word of its own: a value with a space needs quotes, --by 'Product Category'; see sentiment-batch report --help"),
    );
    expect(parseJobFlags(['--text-column', 'review', 'in.csv']).positionals).toEqual(['in.csv']);
    expect(parseJobFlags(['--text-column', 'review', 'a.csv', 'b.csv']).positionals).toEqual(['a.csv', 'b.csv']);
    expect(parseJobFlags(['in.csv', '--limit', '10', '20']).positionals).toEqual(['in.csv', '20']);
  });

  // An option that takes one of a fixed set of words has no value with a space: `--format csv part-00000 part-00001` (a
  // Spark export's parts) said "a value with a space needs quotes, --format 'csv part-00000 part-00001'" (lowfix59).
  it.each([
    [['--format', 'csv', 'part-00000', 'part-00001']],
    [['--backend', 'embedded', 'part-00000', 'part-00001']],
    [['--long-text', 'skip', 'part-00000', 'part-00001']],
    [['--log-format', 'json', 'part-00000', 'part-00001']],
  ])('gives no advice on quotes after an option of fixed words, the words left as inputs: %j', (argv) => {
    expect(parseJobFlags(argv).positionals).toEqual(['part-00000', 'part-00001']);
  });

  // report's `--input x.csv` was asked 'did you mean --input-format?' (a prefix of it), the input being no option at all.
  it('report: --input and --column are answered with the input word and --text-column, not a prefix', () => {
    expect(() => parseReportArgs(['--input', 'x.scored.csv'])).toThrow(
      "unknown option '--input' for report: the input is no option but the word after the command, sentiment-batch report SCORED_FILE [options]; see sentiment-batch report --help",
    );
    expect(() => parseReportArgs(['x.scored.csv', '--column', 'review'])).toThrow("unknown option '--column' for report (did you mean --text-column?)");
  });

  // The borrowed name in any case; run's input as the job file's "input"; and no input nor text column
  // offered to serve, which takes neither.
  it('borrowed names: --Column too; run --input points at the job file\'s "input"; serve is offered neither', () => {
    expect(() => parseJobFlags(['--Column', 'review'])).toThrow("unknown option '--Column' for score (did you mean --text-column?)");
    expect(() => parseJobFlags(['--input', 'job.json'], 'run')).toThrow("unknown option '--input' for run: the input is no option: run reads it from the job file's \"input\" (sentiment-batch run JOB.json [options])");
    expect(() => parseServeArgs(['--input', 'x.csv'])).toThrow(new ConfigError("unknown option '--input' for serve; see sentiment-batch serve --help"));
    expect(() => parseServeArgs(['--column', 'review'])).toThrow(new ConfigError("unknown option '--column' for serve; see sentiment-batch serve --help"));
  });

  // `run job.json --input new.csv` (to point the job at another export) was told "the input is no option but the word
  // after the command, sentiment-batch run JOB.json": that word is the job file; the input is the job file's "input".
  it('run: --input is answered with the job file\'s "input", not as if the job file were the input', () => {
    const hint = borrowedNameHint('input', new Set(['text-column']), 'run', true);
    expect(hint).toBe(': the input is no option: run reads it from the job file\'s "input" (sentiment-batch run JOB.json [options])');
    expect(borrowedNameHint('input', new Set(['text-column']), 'score', true)).toBe(': the input is no option but the word after the command, sentiment-batch score FILE [options]');
  });

  it('nor in report, whose --input-format and --format take fixed words', () => {
    expect(() => parseReportArgs(['--input-format', 'csv', 'part-00000', 'part-00001'])).toThrow(/^report takes one scored file, got 2/);
    expect(() => parseReportArgs(['--format', 'json', 'part-00000', 'part-00001'])).toThrow(/^report takes one scored file, got 2/);
  });

  // --help added to a command to see why it failed printed the help at 8a849ced; the advice on quotes refused it, exit 2.
  it('prints the help asked for, even after a value with a space unquoted (review66)', () => {
    expect(parseJobFlags(['wide.csv', '--text-column', 'Review', 'Text', '--help']).help).toBe(true);
    expect(parseReportArgs(['out.csv', '--by', 'Product', 'Category', '-h'])).toEqual({ help: true });
  });

  // The shortest long option, report's --by: its one-dash form is named too, not taken for -b.
  it('names a two-letter long option written with one dash (report -by)', () => {
    expect(() => parseReportArgs(['out.csv', '-by', 'country'])).toThrow(
      new ConfigError("unknown option '-by' for report: a long option takes two dashes, --by; see sentiment-batch report --help"),
    );
  });

  it('refuses -o=PATH, which took "=PATH" as the path, and says how to write it', () => {
    expect(() => parseJobFlags(['-o=out.csv'])).toThrow(new ConfigError('-o=out.csv: a short option takes its value after a space (-o out.csv) or as --output=out.csv'));
    expect(parseJobFlags(['-oout.csv']).flags.output).toBe('out.csv');
    expect(parseJobFlags(['--output==x']).flags.output).toBe('=x');
  });

  // Google Sheets downloads `Reviews - Sheet1.csv`: typed unquoted, its words were three inputs ("score takes one input,
  // got 3: Reviews - Sheet1.csv"), the '-' among them standard input.
  it('says a file name with spaces typed unquoted needs quotes', () => {
    const sheet = path.join(dir, 'Reviews - Sheet1.csv');
    writeFileSync(sheet, 'id,body\n1,good\n');
    const words = sheet.split(' ');
    expect(() => settingsFor('score', words, {}, {})).toThrow(
      new ConfigError(`score takes one input, got 3: ${sheet}; it is one file name with spaces, which needs quotes: sentiment-batch score '${sheet}' ...`),
    );
    const scored = path.join(dir, 'Reviews - Sheet1.scored.csv');
    writeFileSync(scored, 'id,body,sentiment_label\n');
    expect(() => parseReportArgs(scored.split(' '))).toThrow(
      new ConfigError(`report takes one scored file, got 3: sentiment-batch report reviews.scored.csv -o report.html; it is one file name with spaces, which needs quotes: sentiment-batch report '${scored}' ...`),
    );
    // Not there (yet), but shaped so: words with no extension, then one with an export's.
    expect(() => settingsFor('estimate', ['Avis', 'clients.csv'], {}, {})).toThrow(
      new ConfigError("estimate takes one input, got 2: Avis clients.csv; if it is one file name with spaces, it needs quotes: sentiment-batch estimate 'Avis clients.csv' ..."),
    );
  });

  it('estimate names itself when it is given no input or two', () => {
    expect(() => settingsFor('estimate', [], {}, {})).toThrow(new ConfigError('estimate needs an input file: sentiment-batch estimate reviews.csv --text-column review'));
    // Exports named by a glob (exports/*.csv): one command per file. Anything else (a value whose flag was left out) is only listed.
    expect(() => settingsFor('estimate', ['a.csv', 'b.csv'], {}, {})).toThrow(
      new ConfigError('estimate takes one input, got 2: a.csv b.csv; give one file per command (for f in a.csv b.csv; do sentiment-batch estimate "$f" ...; done)'),
    );
    expect(() => settingsFor('score', ['a.csv', 'review'], {}, {})).toThrow(new ConfigError('score takes one input, got 2: a.csv review'));
    // BigQuery's sharded export (`bq extract … 'gs://b/reviews-*.json'`), copied down and globbed: JSON Lines named .json
    // (and .json.gz), as Excel's .txt; they were only listed.
    expect(() => settingsFor('score', ['reviews-000000000000.json', 'reviews-000000000001.json.gz'], { format: 'jsonl' }, {})).toThrow(
      new ConfigError(
        'score takes one input, got 2: reviews-000000000000.json reviews-000000000001.json.gz; give one file per command (for f in reviews-000000000000.json reviews-000000000001.json.gz; do sentiment-batch score "$f" ...; done)',
      ),
    );
    expect(() => settingsFor('estimate', ['a.txt', 'b.TXT'], {}, {})).toThrow(/; give one file per command \(for f in a\.txt b\.TXT; do sentiment-batch estimate "\$f" \.\.\.; done\)$/);
    expect(() => settingsFor('run', ['a.json', 'b.json'], {}, {})).toThrow(new ConfigError('run takes one job file, got 2: a.json b.json'));
    expect(() => settingsFor('score', [], {}, {})).toThrow(new ConfigError('score needs an input file: sentiment-batch score reviews.csv --text-column review'));
  });

  it('a job file\'s "-" means what it means on the command line: standard output for "output", refused for "summaryJson" and "report"', () => {
    const job = path.join(dir, 'dash.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', output: '-', cache: '-' }));
    // Was a file named '-' beside the job file; the cache is a folder and '-' has no meaning there.
    expect(readJobFile(job)).toMatchObject({ output: '-', cache: path.join(dir, '-') });
    // Named by the job file's key, which the user wrote (was the flag, which nobody typed).
    for (const key of ['summaryJson', 'report'] as const) {
      writeFileSync(job, JSON.stringify({ input: path.join(dir, 'in.csv'), output: 'out.csv', [key]: '-' }));
      expect(() => checkJobPaths(resolveSettings({ flags: {}, jobFile: readJobFile(job), jobFilePath: job, env: {} }), job)).toThrow(`job file ${job}: "${key}" - is not supported: give the path of a file`);
    }
  });

  it('a job file path starting with ~ is refused: no shell reads the file, so it was a folder named ~ beside it', () => {
    const job = path.join(dir, 'tilde.json');
    // "cache": "~/cache" made <job folder>/~/cache, and a later 'rm -rf ~' to clean it up removes the home folder.
    for (const key of ['input', 'output', 'cache', 'summaryJson', 'report', 'modelDir']) {
      writeFileSync(job, JSON.stringify({ input: 'in.csv', [key]: '~/sentiment/x.csv' }));
      expect(() => readJobFile(job)).toThrow(
        `job file ${job}: "${key}" is '~/sentiment/x.csv': a job file is not read by a shell, so ~ is not your home folder (it would be a folder named ~ beside the job file); give the full path, or one relative to the job file's folder`,
      );
    }
    writeFileSync(job, JSON.stringify({ input: '~', output: 'o.csv' }));
    expect(() => readJobFile(job)).toThrow(/"input" is '~': a job file is not read by a shell/);
    // A ~ inside a name is a name.
    writeFileSync(job, JSON.stringify({ input: 'in~1.csv', output: 'out/~o.csv' }));
    expect(readJobFile(job)).toMatchObject({ input: path.join(dir, 'in~1.csv'), output: path.join(dir, 'out/~o.csv') });
  });

  // A job file is edited by hand: 'at position 212' (Node 20's JSON.parse) left a person counting characters.
  it('names the line and column of a JSON syntax error in a job file', () => {
    const job = path.join(dir, 'syntax.json');
    writeFileSync(job, '{\n  "input": "x.csv",\n  "rpm": 100,\n}\n');
    expect(() => readJobFile(job)).toThrow(/^job file .*syntax\.json is not valid JSON: .*\(line 4, column 1\): the comma on line 3, after the last entry, is one JSON does not allow; remove it$/);
    writeFileSync(job, '{\n  "input": "x.csv",\n  textColumn: "review"\n}\n');
    expect(() => readJobFile(job)).toThrow(/\(line 3, column 3\)$/);
  });

  // The likeliest hand edit of all, a line deleted or moved after the last key's comma, got only the parser's words
  // ('Expected double-quoted property name') and a place: nothing said a comma was the matter.
  it('says a comma before the closing brace is the error, JSON allowing none there', () => {
    const job = path.join(dir, 'trailing.json');
    writeFileSync(job, '{\n  "input": "x.csv",\n  "rpm": 100,\n}\n');
    expect(() => readJobFile(job)).toThrow(/\(line 4, column 1\): the comma on line 3, after the last entry, is one JSON does not allow; remove it$/);
    writeFileSync(job, '{"input": "x.csv",\r\n  "textColumn": "review" ,  \r\n}');
    expect(() => readJobFile(job)).toThrow(/: the comma on line 2, after the last entry, is one JSON does not allow; remove it$/);
    // Not said of another error: a key without quotes.
    writeFileSync(job, '{\n  "input": "x.csv",\n  textColumn: "review"\n}\n');
    expect(() => readJobFile(job)).toThrow(/\(line 3, column 3\)$/);
  });

  it('reads a job file saved with a UTF-8 BOM, and still names a key given twice by its line', () => {
    const job = path.join(dir, 'bom.json');
    writeFileSync(job, '\uFEFF{\n  "input": "x.csv",\n  "rpm": 100\n}\n');
    expect(readJobFile(job)).toMatchObject({ input: path.join(dir, 'x.csv'), rpm: 100 });
    writeFileSync(job, '\uFEFF{\n  "input": "x.csv",\n  "rpm": 100,\n  "rpm": 200\n}\n');
    expect(() => readJobFile(job)).toThrow(`job file ${job}: "rpm" is given twice, on lines 3 and 4; keep one`);
    // Only a leading one: elsewhere it is no JSON whitespace.
    writeFileSync(job, '{"input": "x.csv"}\uFEFF');
    expect(() => readJobFile(job)).toThrow(/not valid JSON/);
  });

  // A Kubernetes secret made with `kubectl create secret --from-file` keeps the file's last newline: the token was trimmed,
  // the account id refused ("to be letters, digits, '-' or '_', got \"acct\\n\""). Its trailing line break is read off
  // too; white space inside it is still refused (workers-ai.ts).
  it('CLOUDFLARE_ACCOUNT_ID with a trailing newline (a secret made --from-file) is read without it, as the token is', () => {
    expect(readEnvironment({ CLOUDFLARE_ACCOUNT_ID: 'acct123\n', CLOUDFLARE_API_TOKEN: 'tok\n' })).toMatchObject({ accountId: 'acct123', apiToken: 'tok' });
    expect(readEnvironment({ CLOUDFLARE_ACCOUNT_ID: 'acct123\r\n' })).toMatchObject({ accountId: 'acct123' });
    expect(readEnvironment({ CLOUDFLARE_ACCOUNT_ID: 'acct 123\n' })).toMatchObject({ accountId: 'acct 123' });
  });

  it('a job file or token file that cannot be read: why, and what to do, not Node\'s words', () => {
    const missing = path.join(dir, 'nojob.json');
    expect(() => readJobFile(missing)).toThrow(`cannot read job file ${missing}: no such file or directory (ENOENT): check the path`);
    expect(() => readJobFile(dir)).toThrow(`cannot read job file ${dir}: it is a folder, not a file (EISDIR); give the path of a file`);
    writeFileSync(path.join(dir, 'not-empty'), '');
    expect(() => readEnvironment({ CLOUDFLARE_API_TOKEN_FILE: dir })).toThrow(new ConfigError(`cannot read CLOUDFLARE_API_TOKEN_FILE ${dir}: it is a folder, not a file (EISDIR); give the path of a file`));
  });

  // docker run -v /missing/token:/run/secrets/token makes an empty folder at the mount point: the line said only
  // "it is a directory (EISDIR)", nothing of the host file that is missing.
  it('an empty folder at CLOUDFLARE_API_TOKEN_FILE: says it is a folder, and what docker does with a host file that does not exist', () => {
    const secret = path.join(dir, 'token');
    mkdirSync(secret);
    expect(() => readEnvironment({ CLOUDFLARE_API_TOKEN_FILE: secret })).toThrow(
      new ConfigError(
        `cannot read CLOUDFLARE_API_TOKEN_FILE ${secret}: it is a folder, not a file (EISDIR); give the path of a file. Mounted into a container? docker makes an empty folder at the mount point when the host file does not exist (-v /host/path:${secret}), and one at the host path too, where creating the file then fails (Is a directory): on the host, remove that empty folder (rmdir) and create the token file there, or fix the host path`,
      ),
    );
  });

  // The token file's own mode refusing this user was answered "chmod a+r FILE": the container's path, where a `:ro`
  // mount cannot be changed, and a secret made readable by every user, against the mode 0400 docs/container.md asks for.
  it('a token file this user may not read: make it the owner of the file, mode 0400, on the host when mounted', async () => {
    const { unreadableTokenFile } = await import('../src/config/credentials.js');
    const secret = path.join(dir, 'api-token');
    writeFileSync(secret, 'tok');
    const refused = Object.assign(new Error(`EACCES: permission denied, open '${secret}'`), { code: 'EACCES', path: secret });
    const uid = process.getuid?.() ?? 0;
    expect(unreadableTokenFile(secret, refused, true)).toBe(
      `cannot read CLOUDFLARE_API_TOKEN_FILE ${secret}: permission denied (EACCES): it is not readable by the user this command runs as (uid ${uid}): make that user its owner, readable by it alone (chown ${uid} ${secret} && chmod 0400 ${secret}; a file mounted into a container: on the host, the file mounted there)`,
    );
    // Outside a container, or a file on no mount of its own: no container in the line (a plain user, uid 1000, with a
    // root-owned 0600 token file was told of "a file mounted into a container").
    expect(unreadableTokenFile(secret, refused, false)).toBe(
      `cannot read CLOUDFLARE_API_TOKEN_FILE ${secret}: permission denied (EACCES): it is not readable by the user this command runs as (uid ${uid}): make that user its owner, readable by it alone (chown ${uid} ${secret} && chmod 0400 ${secret})`,
    );
  });

  it('an empty token file: says what to write in it', () => {
    const secret = path.join(dir, 'empty-token');
    writeFileSync(secret, '\n');
    expect(() => readEnvironment({ CLOUDFLARE_API_TOKEN_FILE: secret })).toThrow(
      new ConfigError(`CLOUDFLARE_API_TOKEN_FILE ${secret} is empty: write the token in it, bare, on one line`),
    );
  });

  it('records the settings the job file gave that no flag overrode, and which variable gave the token', () => {
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'x.csv', rpm: 100, concurrency: 3, accountId: 'acct' }));
    const secret = path.join(dir, 'token');
    writeFileSync(secret, 'from-file-token\n');
    const settings = resolveSettings({ flags: parseJobFlags(['--rpm', '50']).flags, jobFile: readJobFile(job), jobFilePath: job, env: readEnvironment({ CLOUDFLARE_API_TOKEN_FILE: secret }) });
    expect(settings.jobFile).toEqual({ path: job, keys: new Set(['input', 'concurrency', 'accountId']) });
    expect(settings.apiTokenFrom).toBe('CLOUDFLARE_API_TOKEN_FILE');
    // Both set: one would win without a word (a wrong token in the environment hid the file's right one behind a 401).
    expect(() => readEnvironment({ CLOUDFLARE_API_TOKEN: 't', CLOUDFLARE_API_TOKEN_FILE: secret })).toThrow(
      new ConfigError('both CLOUDFLARE_API_TOKEN and CLOUDFLARE_API_TOKEN_FILE are set: unset one of them, so that the token used is the one you mean'),
    );
    // A variable set to nothing is unset (an env file's `CLOUDFLARE_ACCOUNT_ID=`).
    expect(readEnvironment({ CLOUDFLARE_ACCOUNT_ID: '', CLOUDFLARE_API_TOKEN: '', CLOUDFLARE_API_TOKEN_FILE: '', CLOUDFLARE_BASE_URL: '', REDIS_URL: '' })).toEqual({});
    // One set to only spaces is a template that filled in nothing: it was read as unset, and the run went to the
    // embedded model without a word. Refused, naming the variable.
    // So is the base URL or the Redis URL: read as unset, a blank CLOUDFLARE_BASE_URL sent a run meant for a local server
    // to the real service, and a blank REDIS_URL ran the job alone at the full rate, with no line saying either.
    for (const name of ['CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_TOKEN_FILE', 'CLOUDFLARE_BASE_URL', 'REDIS_URL']) {
      expect(() => readEnvironment({ [name]: ' \t' })).toThrow(
        new ConfigError(`${name} is set to only white space (a template that filled in nothing?): set it to its value, or unset it`),
      );
    }
    expect(resolveSettings({ flags: {}, env: {}, input: '/d/a.csv' }).jobFile).toBeUndefined();
  });

  it('--resume on the command line overrides a job file\'s "restart", and --restart its "resume"', () => {
    const job = path.join(dir, 'restart.json');
    const resolved = (file: object, argv: string[]) => {
      writeFileSync(job, JSON.stringify({ input: 'x.csv', ...file }));
      const { restart, resume } = resolveSettings({ flags: parseJobFlags(argv).flags, jobFile: readJobFile(job), jobFilePath: job, env: {} });
      return { restart, resume };
    };
    expect(resolved({ restart: true }, [])).toEqual({ restart: true, resume: 'auto' });
    expect(resolved({ restart: true }, ['--resume', 'auto'])).toEqual({ restart: false, resume: 'auto' });
    expect(resolved({ restart: true }, ['--resume', 'require'])).toEqual({ restart: false, resume: 'require' });
    expect(resolved({ resume: 'require' }, ['--restart'])).toEqual({ restart: true, resume: 'auto' });
    // Both on the command line is still a contradiction.
    expect(() => resolved({}, ['--restart', '--resume', 'require'])).toThrow('give only one of them');
  });

  it('refuses a token in a job file and unknown keys', () => {
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'x.csv', apiToken: 'secret' }));
    expect(() => readJobFile(job)).toThrow(/do not store the API token in a job file/);
    writeFileSync(job, JSON.stringify({ input: 'x.csv', rmp: 5 }));
    expect(() => readJobFile(job)).toThrow(/unknown key 'rmp' \(did you mean rpm\?\)/);
    // Every message names the file the same way, as it was given.
    expect(() => readJobFile(job)).toThrow(`job file ${job}: unknown key 'rmp'`);
    writeFileSync(job, JSON.stringify({ input: 'x.csv', rpm: 'fast' }));
    expect(() => readJobFile(job)).toThrow(`job file ${job}: "rpm" expects a positive integer`);
    // The keys are the flags in camelCase: the code's own names are not job-file keys, and the list shows only the documented ones.
    writeFileSync(job, JSON.stringify({ input: 'x.csv', timeoutMs: 30000 }));
    expect(() => readJobFile(job)).toThrow(/unknown key 'timeoutMs' \(did you mean timeout\?\)/);
    writeFileSync(job, JSON.stringify({ input: 'x.csv', textcolumn: 'review' }));
    expect(() => readJobFile(job)).toThrow(/unknown key 'textcolumn' \(did you mean textColumn\?\)\. Known keys: .*\btextColumn\b/);
    expect(() => readJobFile(job)).not.toThrow(/Known keys: .*\b(text|timeoutMs|graceMs|checkpointIntervalMs)\b,/);
    // "$schema" and "description" are accepted (docs/options.md#job-files): the list of known keys names them too, and a
    // misspelling gets its did-you-mean.
    expect(() => readJobFile(job)).toThrow(/Known keys: \$schema, accountId, .*, delimiter, description, device, /);
    writeFileSync(job, JSON.stringify({ input: 'x.csv', descripton: 'nightly' }));
    expect(() => readJobFile(job)).toThrow(/unknown key 'descripton' \(did you mean description\?\)/);
    // A flag's one-letter form as a key ("o" for output, from `-o`) was too short for a did-you-mean: the long key is named.
    for (const key of ['o', '-o']) {
      writeFileSync(job, JSON.stringify({ input: 'x.csv', [key]: 'out.csv' }));
      expect(() => readJobFile(job)).toThrow(`job file ${job}: unknown key '${key}' (did you mean output?)`);
    }
    writeFileSync(job, '{"input": ');
    expect(() => readJobFile(job)).toThrow(/not valid JSON/);
  });

  it('refuses a key given twice, naming it and both lines (JSON.parse would keep the last silently)', () => {
    const job = path.join(dir, 'job.json');
    writeFileSync(job, '{\n  "input": "x.csv",\n  "rpm": 100,\n  "output": "a.csv",\n  "rpm": 200\n}\n');
    expect(() => readJobFile(job)).toThrow(new ConfigError(`job file ${job}: "rpm" is given twice, on lines 3 and 5; keep one`));
  });

  it('reads the token from CLOUDFLARE_API_TOKEN_FILE', () => {
    const secret = path.join(dir, 'token');
    writeFileSync(secret, 'from-file-token\n');
    expect(readEnvironment({ CLOUDFLARE_API_TOKEN_FILE: secret }).apiToken).toBe('from-file-token');
    expect(() => readEnvironment({ CLOUDFLARE_API_TOKEN_FILE: path.join(dir, 'missing') })).toThrow(/cannot read CLOUDFLARE_API_TOKEN_FILE/);
  });

  it('derives output names and refuses to overwrite the input or write gzip', () => {
    expect(defaultOutputPath('/d/reviews.csv')).toBe('/d/reviews.scored.csv');
    expect(defaultOutputPath('/d/reviews.jsonl.gz')).toBe('/d/reviews.scored.jsonl');
    // --format names the format written: the default output is named for it, as checkOutputExtension requires.
    expect(defaultOutputPath('/d/tabs.csv', 'tsv')).toBe('/d/tabs.scored.tsv');
    expect(defaultOutputPath('/d/commas.tsv.gz', 'csv')).toBe('/d/commas.scored.csv');
    expect(defaultOutputPath('/d/data', 'csv')).toBe('/d/data.scored.csv');
    expect(defaultOutputPath('/d/data.gz', 'jsonl')).toBe('/d/data.scored.jsonl');
    expect(defaultOutputPath('/d/r.ndjson', 'jsonl')).toBe('/d/r.scored.ndjson');
    expect(defaultOutputPath('/d/r.CSV', 'csv')).toBe('/d/r.scored.CSV');
    expect(defaultOutputPath('/d/export.txt', 'csv')).toBe('/d/export.scored.txt');
    expect(resolveSettings({ flags: { format: 'tsv' }, env: {}, input: '/d/tabs.csv' }).output).toBe('/d/tabs.scored.tsv');
    expect(resolveSettings({ flags: { format: 'csv' }, env: {}, input: '/d/commas.tsv' }).output).toBe('/d/commas.scored.csv');
    expect(() => resolveSettings({ flags: { output: '/d/a.csv' }, env: {}, input: '/d/a.csv' })).toThrow(/overwrite the input/);
    expect(() => resolveSettings({ flags: { output: '/d/b.csv.gz' }, env: {}, input: '/d/a.csv' })).toThrow(/compressed output/);
    expect(() => resolveSettings({ flags: {}, env: {}, input: '-' })).toThrow(/needs an output: add -o PATH, or -o - to write the records to standard output/);
    expect(() => resolveSettings({ flags: { resume: 'require', restart: true }, env: {}, input: '/d/a.csv' })).toThrow(/--restart starts the job over and --resume require forbids starting over/);
    // Standard input and -o - keep no checkpoint: "require" could only be broken by a silent fresh start.
    expect(() => resolveSettings({ flags: { output: '/d/o.csv', format: 'csv', resume: 'require' }, env: {}, input: '-' })).toThrow(/--resume require needs a checkpoint, and a run with standard input keeps none/);
    expect(() => resolveSettings({ flags: { output: '-', resume: 'require' }, env: {}, input: '/d/a.csv' })).toThrow(/--resume require needs a checkpoint, and a run with -o - keeps none/);
  });
});

// A setting the job file gave was named by its flag ("choose another --summary-json") in messages that a person who
// wrote "summaryJson" in a job file, and typed no flag, had to translate; they name the job file's key now.
describe('messages about a setting the job file gave name its key there', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const resolveJob = (job: Record<string, unknown>, flags: Record<string, unknown> = {}) => {
    const file = path.join(dir, 'job.json');
    writeFileSync(file, JSON.stringify({ textColumn: 'review', ...job }));
    return () => resolveSettings({ flags, jobFile: readJobFile(file), jobFilePath: file, env: {} });
  };

  it('paths: a clash, "-", a file where a folder must be, a report of another format', () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'review\ngood\n');
    const job = path.join(dir, 'job.json');
    expect(resolveJob({ input: 'in.csv', summaryJson: 'in.csv' })).toThrow(
      `job file ${job}: "summaryJson" ${input} would overwrite the input ${input}; choose another "summaryJson" in the job file`,
    );
    expect(resolveJob({ input: 'in.csv', summaryJson: '-' })).toThrow(`job file ${job}: "summaryJson" - is not supported: give the path of a file`);
    expect(resolveJob({ input: 'in.csv', output: 'in.csv/o.csv' })).toThrow(
      `job file ${job}: "output" ${input}/o.csv: ${input} is a file, not a folder; choose another "output" in the job file`,
    );
    expect(resolveJob({ input: 'in.csv', report: 'r.pdf' })).toThrow(`job file ${job}: "report" ${path.join(dir, 'r.pdf')}: a report is an HTML page or JSON, not a .pdf file`);
    // The same setting given by its flag is named by the flag, as before.
    expect(resolveJob({ input: 'in.csv' }, { summaryJson: input })).toThrow(`--summary-json ${input} would overwrite the input ${input}; choose another --summary-json`);
  });

  it('settings that cannot go together: "report" with "output": "-", "restart" with "resume": "require"', () => {
    const job = path.join(dir, 'job.json');
    expect(resolveJob({ input: 'in.csv', output: '-', report: 'r.html' })).toThrow(
      `"report" in job file ${job} needs an output file; with "output": "-" in job file ${job} write the records to a file`,
    );
    expect(resolveJob({ input: 'in.csv', restart: true, resume: 'require' })).toThrow(
      `"restart": true in job file ${job} starts the job over and "resume": "require" in job file ${job} forbids starting over: give only one of them`,
    );
    expect(resolveJob({ input: '-', output: 'o.csv', resume: 'require' })).toThrow(`drop "resume": "require" in job file ${job}, or read a file and write one`);
    // One from each: each named as it was given.
    expect(resolveJob({ input: 'in.csv', output: '-' }, { report: path.join(dir, 'r.html') })).toThrow(`--report needs an output file; with "output": "-" in job file ${job} write`);
  });
});
