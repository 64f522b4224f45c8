import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { estimateCommand } from '../src/commands/estimate.js';
import { scoreHelp } from '../src/commands/help.js';
import { MAIN_HELP } from '../src/commands/main-help.js';
import { MODEL_HELP } from '../src/commands/model.js';
import { settingsFor } from '../src/commands/score.js';
import { DEFAULT_BASE_URL, DEFAULTS, OPTION_SPECS } from '../src/config/options.js';
import { parseReportArgs, reportHelp } from '../src/config/report-options.js';
import { ExitCode } from '../src/errors.js';
import { DEFAULT_REPO, DEFAULT_REVISION } from '../src/hub/hub-env.js';
import { writeReport } from '../src/report/index.js';
import type { Scorer } from '../src/scoring/scorer.js';
import { resolveServerOptions } from '../src/server/options.js';
import { parseServeArgs, serveHelp } from '../src/server/serve-command.js';
import { helpDefaults, sameDefault } from './support/help-defaults.js';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

// The --help texts are what a user on the machine reads; the README and docs what they read before. A code or an
// endpoint one lists and the other leaves out sends a scheduler or a test script after something the other denies.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

/** The codes of the README's exit-code table: its rows start `| [N](docs/exit-codes.md#exit-N) |`. */
function readmeExitCodes(): number[] {
  return [...read('README.md').matchAll(/^\| \[(\d+)\]\(docs\/exit-codes\.md#exit-\d+\) \|/gm)].map((m) => Number(m[1]));
}

/** The codes `sentiment-batch --help` lists under "Exit codes:", each at the start of an indented line. */
function helpExitCodes(): number[] {
  const section = MAIN_HELP.slice(MAIN_HELP.indexOf('Exit codes:'));
  return [...section.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]));
}

/** The text of code `code`'s entry in `sentiment-batch --help`, its lines joined, spaces collapsed. */
function helpEntry(code: number): string {
  const section = MAIN_HELP.slice(MAIN_HELP.indexOf('Exit codes:'));
  const entry = section.split(/\n(?= {2}\d+ )/).find((part) => part.startsWith(`  ${code} `));
  return (entry ?? '').split('\n\n')[0]!.replace(/\s+/g, ' ');
}

/** The meaning cell of code `code`'s row of the README's exit-code table, backticks dropped. */
function readmeMeaning(code: number): string {
  const row = read('README.md').split('\n').find((line) => line.startsWith(`| [${code}](docs/exit-codes.md#exit-${code}) |`));
  return (row ?? '').split(' | ')[1]!.replace(/`/g, '');
}

/** The default `score --help` gives for --`flag`: the word after `(default` (`(default 2000)`, `(default auto: …`). */
function helpDefault(flag: string): string {
  const spec = OPTION_SPECS.find((s) => s.flag === flag);
  if (spec === undefined) throw new Error(`no option --${flag}`);
  const match = /\(default:? ([^ ;)]+)/.exec(spec.help);
  return sameDefault((match?.[1] ?? '').replace(/:$/, ''));
}

/**
 * [flags, default cell] of every option the README's table gives a default: the flags are the backticked `--x` names of
 * its first cell, the cell split at ', ' one part per flag (`6, 30s` for `--max-attempts`, `--timeout`); a part that is
 * words, not one value (`from the extension; …`), is left out.
 */
function readmeDefaults(): Array<[string, string]> {
  const table = read('README.md').split('### Options')[1]!.split('\n\n').find((part) => part.startsWith('| option |'))!;
  return table.split('\n').slice(2).flatMap((row) => {
    const [first = '', cell = ''] = row.split(' | ');
    return pairs(first.split('](')[0]!, cell);
  });
}

/** The same for docs/options.md: each `### ` heading's flags and the `Default: …` line under it. */
function optionsDocDefaults(): Array<[string, string]> {
  return read('docs/options.md').split('\n### ').slice(1).flatMap((section) => {
    const heading = section.split('\n')[0]!;
    const line = /^Default: (.*)\.$/m.exec(section);
    return line === null ? [] : pairs(heading, line[1]!);
  });
}

function pairs(flagsText: string, cell: string): Array<[string, string]> {
  if (cell.trim() === '') return [];
  const flags = [...flagsText.matchAll(/`(?:-o, )?--([a-z-]+)/g)].map((m) => m[1]!);
  const parts = cell.split(', ');
  return flags.slice(0, parts.length).flatMap((flag, i): Array<[string, string]> => {
    const part = parts[i]!.trim();
    return /^`?[^ `]+`?$/.test(part) ? [[flag, part]] : [];
  });
}

describe('option defaults: score --help, the code, the README table and docs/options.md', () => {
  // help-matches-docs checked the exit codes and serve's endpoints, not one default: a README that says `--rpm` is 2000
  // while --help and the code say another is a user's run paced or billed by a figure they never chose.
  it('each default score --help gives is the one the code applies', () => {
    const ms = (value: number): string => (value % 1000 === 0 ? `${value / 1000}s` : `${value}ms`);
    const applied: Record<string, string> = {
      prefix: DEFAULTS.prefix,
      'language-check': DEFAULTS.languageCheck,
      backend: DEFAULTS.backend,
      'base-url': DEFAULT_BASE_URL,
      model: DEFAULTS.model,
      rpm: String(DEFAULTS.rpm),
      concurrency: String(DEFAULTS.concurrency),
      'max-attempts': String(DEFAULTS.maxAttempts),
      timeout: ms(DEFAULTS.timeoutMs),
      'max-errors': DEFAULTS.maxErrors === undefined ? 'none' : String(DEFAULTS.maxErrors),
      'max-error-rate': String(DEFAULTS.maxErrorRate),
      resume: DEFAULTS.resume,
      grace: ms(DEFAULTS.graceMs),
      'checkpoint-interval': ms(DEFAULTS.checkpointIntervalMs),
      'long-text': DEFAULTS.longText,
      cache: DEFAULTS.cache ?? 'none',
      'cache-max-age-days': String(DEFAULTS.cacheMaxAgeDays),
      'log-level': DEFAULTS.logLevel,
      'log-format': DEFAULTS.logFormat,
      progress: DEFAULTS.progress,
    };
    for (const [flag, value] of Object.entries(applied)) expect(helpDefault(flag), `--${flag}`).toBe(value);
  });

  // A new user reading score --help for a production run could not tell what --max-neurons, --max-requests, --limit,
  // --summary-json or --report do when left out (no budget? a file beside the output?): every other value option says.
  // estimate's --limit and report's --by, --date and --rating were as silent.
  it.each([
    ['score', async () => scoreHelp('score')],
    ['estimate', async () => captured((stdout) => estimateCommand(['--help'], { stdout, ...noSignals }))],
    ['report', async () => reportHelp()],
  ] as const)('every option of %s --help that takes a value says its default, or the variable it is read from', async (_command, help) => {
    const text = await help();
    const stated = helpDefaults(text);
    const silent = text
      .split('\n')
      .flatMap((line) => {
        const row = /^ {2,}(?:-[a-z], )?--([a-z-]+) VALUE\b(.*)$/.exec(line);
        return row && !stated.has(row[1]!) && !/\(or [A-Z_]+\)/.test(row[2]!) ? [row[1]!] : [];
      });
    expect(silent).toEqual([]);
  });

  it.each([
    ['README.md', readmeDefaults],
    ['docs/options.md', optionsDocDefaults],
  ] as const)('%s gives each option the default score --help gives', (_file, defaults) => {
    const found = defaults();
    expect(found.length).toBeGreaterThan(15);
    for (const [flag, cell] of found) expect(sameDefault(cell), `--${flag}`).toBe(helpDefault(flag));
  });
});

describe('--help texts against the docs', () => {
  // A scheduler's operator reading --help on the machine met exit 3 as "could not be read or parsed" and exit 4 as
  // credentials: a file still being written, a --resume require with no checkpoint, or a proxy's certificate
  // (the cases the README's table lists) sent them after the wrong cause.
  it.each([
    [3, ['cannot be read or parsed', 'changed while it was read', '--resume require without a matching checkpoint']],
    [4, ['token rejected', 'no permission', 'unknown model', 'a TLS certificate not trusted', 'model pull']],
  ] as const)('--help names every case the README table lists for exit %i', (code, cases) => {
    for (const words of cases) {
      expect(readmeMeaning(code), `README, exit ${code}`).toContain(words);
      expect(helpEntry(code), `--help, exit ${code}`).toContain(words);
    }
  });

  it('docs/production.md, the checklist a scheduler is set up from, has a row for each code of the README table', () => {
    // Its rows start `| [N](exit-codes.md#exit-…) |`; one row may hold two codes (`[134, 139]`), as in the README.
    const rows = [...read('docs/production.md').matchAll(/^\| \[([\d, ]+)\]\(exit-codes\.md#exit-[\w-]+\) \|/gm)];
    const codes = rows.flatMap((m) => m[1]!.split(', ').map(Number));
    expect(codes.length).toBeGreaterThan(5);
    expect(new Set(codes).size, 'a code in two rows').toBe(codes.length);
    for (const code of readmeExitCodes()) expect(codes, `docs/production.md, exit ${code}`).toContain(code);
    for (const code of Object.values(ExitCode)) expect(codes, `docs/production.md, exit ${code}`).toContain(code);
  });

  it('sentiment-batch --help lists the exit codes the README table lists, which hold every code the command exits with', () => {
    const readme = readmeExitCodes();
    expect(readme.length).toBeGreaterThan(5);
    expect(helpExitCodes()).toEqual(readme);
    for (const code of Object.values(ExitCode)) expect(readme).toContain(code);
  });

  it('serve --help names every control endpoint docs/server.md lists', () => {
    const table = read('docs/server.md').split('## Control endpoints')[1]!.split('\n## ')[0]!;
    const endpoints = [...table.matchAll(/^\| `(GET|POST) (\/__[a-z/]+)`/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(endpoints.length).toBeGreaterThan(4);
    const helpPart = serveHelp.slice(serveHelp.indexOf('Control endpoints:'));
    for (const [method, route] of endpoints) {
      expect(helpPart, `${method} ${route}`).toMatch(new RegExp(`\\b(${method}|GET\\|POST) ${route}\\b`));
    }
  });
});

/** A --help page's stated defaults that come to one value: flag → value (test/support/help-defaults.ts). */
function statedValues(help: string): Record<string, string> {
  return Object.fromEntries([...helpDefaults(help)].flatMap(([flag, d]) => (d.value === undefined ? [] : [[flag, d.value]])));
}

/** The first capture of `pattern` in `file`: what the docs say a default is. */
function docSays(file: string, pattern: RegExp): string {
  const match = pattern.exec(read(file).replace(/\s+/g, ' '));
  if (match === null) throw new Error(`${file} no longer says ${pattern}`);
  return match[1]!;
}

async function captured(run: (stdout: NodeJS.WritableStream) => Promise<unknown>): Promise<string> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await run(stdout);
  return text;
}

const noSignals = { env: {}, onSignal: () => () => undefined };

// Only score's --help was held to its code and docs: serve, report, estimate and model state defaults of their own in
// hand-written help texts, which nothing checked against the values their code applies or the docs give.
describe('option defaults of serve, report, estimate, model and run: --help, the code and the docs', () => {
  const dir = useTempDir();

  it('serve --help states the defaults parseServeArgs and startServer apply, and docs/server.md the same', () => {
    const cli = parseServeArgs([]);
    const scorer = { modelId: 'test', score: async () => [] } as unknown as Scorer;
    const applied = resolveServerOptions({ ...cli.server, port: cli.port, host: cli.host, scorer });
    const latency = ({ minMs, maxMs }: { minMs: number; maxMs: number }): string => (maxMs === 0 ? 'none' : `${minMs}-${maxMs}ms`);
    expect(statedValues(serveHelp)).toEqual({
      port: String(applied.port),
      host: applied.host,
      'long-text': applied.longText,
      'result-shape': applied.resultShape,
      'label-order': applied.labelOrder,
      'max-body-bytes': String(applied.maxBodyBytes),
      'arrival-jitter': applied.arrivalJitter === undefined ? 'none' : latency(applied.arrivalJitter),
      seed: String(applied.faults.seed),
      latency: latency(applied.faults.latency),
      'capacity-burst-length': String(applied.faults.capacityBurstLength),
    });
    const help = statedValues(serveHelp);
    const mib = (text: string): string => String(Number(/^(\d+) MiB$/.exec(text)?.[1]) * 1024 * 1024);
    const docs: Array<[string, string]> = [
      ['host', docSays('docs/server.md', /It listens on (\S+) unless `--host` says otherwise/)],
      ['max-body-bytes', mib(docSays('docs/server.md', /body over `--max-body-bytes` \(default ([^)]+)\)/))],
      ['long-text', docSays('docs/server.md', /`--long-text (\w+)` \(default\)/)],
      ['label-order', docSays('docs/server.md', /by default the most likely label comes first \(`--label-order ([a-z-]+)`/)],
      ['seed', docSays('docs/server.md', /`--seed`, default (\d+)\)/)],
      ['capacity-burst-length', docSays('docs/server.md', /\| `--capacity-burst-length N` \| `capacityBurstLength` \| [^|]*\(default (\d+)\) \|/)],
    ];
    for (const [flag, said] of docs) expect(said, `docs/server.md, --${flag}`).toBe(help[flag]);
  });

  it('report --help states the defaults report applies, and docs/report.md the same', async () => {
    // One row as score writes it, with a doubled quote: read at all only with the prefix `sentiment`, the text column
    // `text`, --escape quote and --quote '"' that report falls back to when no run's checkpoint names others.
    const input = dir.file('plain.scored.csv', 'text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n"a ""fine"" day",POSITIVE,0.9,0.1,,\n');
    const parsed = parseReportArgs([input]);
    if (parsed.help) throw new Error('not --help');
    const figures = await writeReport({ ...parsed.request, output: dir.path('out.json'), as: 'json' });
    expect(figures.totals.scored).toBe(1);
    expect(figures.examples?.mostPositive[0]?.text).toBe('a "fine" day');
    const help = statedValues(reportHelp());
    expect(help).toEqual({
      format: parsed.request.as,
      'text-column': 'text',
      prefix: 'sentiment',
      escape: 'quote',
      quote: '"',
      groups: String(parsed.request.groups),
      examples: String(parsed.request.examples),
      'language-check': parsed.request.languageCheck ?? 'on',
      'text-field': 'text',
      by: parsed.request.by ?? 'none',
      date: parsed.request.date ?? 'none',
      rating: parsed.request.rating ?? 'none',
    });
    const docs: Array<[string, string]> = [
      ['format', docSays('docs/report.md', /is written as `--format` says, else as (HTML)/).toLowerCase()],
      ['text-column', docSays('docs/report.md', /`--prefix` \(default: what the run used, read from its checkpoint, else `(\w+)` and/)],
      ['prefix', docSays('docs/report.md', /`--prefix` \(default: what the run used, read from its checkpoint, else `\w+` and `(\w+)`/)],
      ['escape', docSays('docs/report.md', /`--escape quote\|backslash` \(default: the run's, from its checkpoint, else `(\w+)`\)/)],
      ['quote', docSays('docs/report.md', /`--quote '"'\|none` \(default: the run's, from its checkpoint, else `(.)`/)],
      ['groups', docSays('docs/report.md', /positive share of the (\d+) largest values of a column \(`--groups N`/)],
      ['examples', docSays('docs/report.md', /\| examples \| the (\d+) rows labelled NEGATIVE with the lowest positive score and the \1 labelled POSITIVE/)],
    ];
    for (const [flag, said] of docs) expect(said, `docs/report.md, --${flag}`).toBe(help[flag]);
  });

  it('estimate --help states the defaults estimate applies, each the one score --help and docs/options.md give', async () => {
    const helpText = await captured((stdout) => estimateCommand(['--help'], { stdout, ...noSignals }));
    const help = statedValues(helpText);
    const settings = settingsFor('estimate', ['x.csv'], { output: '-' }, {});
    const input = dir.file('x.csv', 'text\ngreat\n');
    const figures = JSON.parse(await captured((stdout) => estimateCommand([input, '--json'], { stdout, ...noSignals }))) as { rpm: number };
    expect(help).toEqual({
      escape: 'quote',
      quote: '"',
      'text-column': 'text',
      'text-field': 'text',
      'language-check': settings.languageCheck,
      backend: settings.backend,
      'base-url': settings.baseUrl ?? DEFAULT_BASE_URL,
      model: settings.model,
      rpm: String(figures.rpm),
      'long-text': settings.longText,
      cache: settings.cache ?? 'none',
      'cache-max-age-days': String(settings.cacheMaxAgeDays),
      'model-dir': 'SENTIMENT_BATCH_MODEL_DIR',
      limit: settings.limit === undefined ? 'none' : String(settings.limit),
    });
    // docs/options.md documents these options once, for score and estimate: estimate's own help texts must agree.
    const score = statedValues(scoreHelp('score'));
    for (const [flag, value] of Object.entries(help)) expect(value, `--${flag}`).toBe(score[flag]);
  });

  it('model --help states the repo and revision model pull fetches, and docs/local-model.md the same', () => {
    expect(statedValues(MODEL_HELP)).toEqual({ repo: DEFAULT_REPO, revision: DEFAULT_REVISION });
    expect(docSays('docs/local-model.md', /\| `--revision REV` \| branch, tag or commit \(default `([^`]+)`\) \|/)).toBe(DEFAULT_REVISION);
    expect(docSays('docs/local-model.md', /`onnx\/model_quantized\.onnx` of `([^`]+)`/)).toBe(DEFAULT_REPO);
  });

  it('score --help states the text column and decimal mark score applies when neither is given', async () => {
    // Fallbacks kept beside the code that reads and writes the rows (job/source.ts), which the DEFAULTS table leaves
    // undefined: a file whose text is in the column --help names, scored with no flag, shows both at work.
    const help = statedValues(scoreHelp('score'));
    const input = dir.file('plain.csv', `id,${help['text-column']}\n1,a great day\n`);
    const output = dir.path('plain.scored.csv');
    const result = await runCli(['score', input, '-o', output]);
    expect(result.code, result.stderr).toBe(0);
    const mark = { point: '\\.', comma: ',' }[help['decimal']!];
    expect(readFileSync(output, 'utf8').split('\n')[1]).toMatch(new RegExp(`^1,a great day,(POSITIVE|NEGATIVE),0${mark}\\d+,0${mark}\\d+,,$`));
    // --text-field said no default: a JSONL user read --help and could not tell which field a run without it reads.
    const jsonl = dir.file('plain.jsonl', `${JSON.stringify({ id: 1, [help['text-field'] ?? '(none stated)']: 'a great day' })}\n`);
    const scored = await runCli(['score', jsonl, '-o', dir.path('plain.scored.jsonl')]);
    expect(scored.code, scored.stderr).toBe(0);
    expect(readFileSync(dir.path('plain.scored.jsonl'), 'utf8')).toMatch(/"sentiment":\{"label":"(POSITIVE|NEGATIVE)"/);
  });

  it('run --help lists the options and defaults of score --help (checked above against the code and docs)', () => {
    // the options block ends at its first blank line: run --help says what a job file holds after it
    const options = (help: string): string => help.slice(help.indexOf('Options:'), help.indexOf('\n\n', help.indexOf('Options:')));
    expect(options(scoreHelp('run'))).toBe(options(scoreHelp('score')));
    expect(helpDefaults(scoreHelp('run')).size).toBeGreaterThan(20);
  });
});

/** The flags a --help page lists, each at the start of an option row (`--help` itself left out). */
function listedFlags(help: string): string[] {
  return [...help.matchAll(/^ {2,}(?:-[a-z], )?--([a-z][a-z0-9-]*)\b/gm)].map((m) => m[1]!).filter((flag) => flag !== 'help');
}

/** The flags of docs/options.md's `### ` headings. */
function optionsDocHeadingFlags(): Set<string> {
  return new Set(read('docs/options.md').split('\n### ').slice(1).flatMap((section) => [...section.split('\n')[0]!.matchAll(/`(?:-o, )?--([a-z-]+)/g)].map((m) => m[1]!)));
}

/**
 * docs/options.md's tables of the other commands' options: command → flag → its default cell. A row naming several
 * flags gives each its part of a cell split at ', ' when there is one one-word part a flag (`8787, 127.0.0.1`), else
 * the whole cell (`the run's, else text`).
 */
function otherCommandTables(): Map<string, Map<string, string>> {
  const section = read('docs/options.md').split("### The other commands' options")[1]!.split('\n## ')[0]!;
  const tables = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of section.split('\n')) {
    const intro = /^`(report|serve|model) ?[a-z]*` \(/.exec(line);
    if (intro) tables.set(intro[1]!, (current = new Map()));
    const row = /^\| (.+?) \| (.+?) \|$/.exec(line);
    if (row === null || current === undefined) continue;
    const flags = [...row[1]!.matchAll(/`--([a-z-]+)`/g)].map((m) => m[1]!);
    const parts = row[2]!.split(', ');
    const oneEach = parts.length === flags.length && parts.every((part) => !/\s/.test(part.trim()));
    flags.forEach((flag, i) => current!.set(flag, oneEach ? parts[i]! : row[2]!));
  }
  return tables;
}

/** The one value a default cell comes to: what follows `, else` (`the run's, else text`), else its first word. */
function cellValue(cell: string): string {
  const bare = cell.replace(/`/g, '').trim();
  const fallback = /, else (\S+?)(?: \(|$)/.exec(bare)?.[1];
  return sameDefault(fallback ?? bare.split(/[ ,]/)[0]!);
}

describe('docs/options.md documents every option of every command', () => {
  // Nine of score's options (--prefix, --grace, --cache-max-age-days, --device…) and every option of report, serve and
  // model had no word in docs/options.md, which says it is the full text of the option table: a reader looking up a
  // default there found nothing, and nothing would notice the next option added without its sentence.
  it('score --help: each option has a section of its own (whose Default: line the check above compares)', () => {
    const headings = optionsDocHeadingFlags();
    const flags = listedFlags(scoreHelp('score'));
    expect(flags.length).toBeGreaterThan(40);
    for (const flag of flags) expect(headings.has(flag), `--${flag}`).toBe(true);
  });

  it('estimate --help: each option is named in docs/options.md', async () => {
    const text = read('docs/options.md');
    const helpText = await captured((stdout) => estimateCommand(['--help'], { stdout, ...noSignals }));
    for (const flag of listedFlags(helpText)) expect(text, `--${flag}`).toContain(`\`--${flag}\``);
  });

  it.each([
    ['report', reportHelp],
    ['serve', (): string => serveHelp],
    ['model', (): string => MODEL_HELP],
  ] as const)('%s --help: each option has a row in docs/options.md, with the default --help states', (command, help) => {
    const table = otherCommandTables().get(command);
    expect(table, `no table for ${command}`).toBeDefined();
    const stated = statedValues(help());
    const flags = listedFlags(help());
    expect(flags.length).toBeGreaterThan(2);
    for (const flag of flags) {
      expect(table!.has(flag), `${command} --${flag}`).toBe(true);
      if (stated[flag] !== undefined) expect(cellValue(table!.get(flag)!), `${command} --${flag}`).toBe(stated[flag]);
    }
  });
});
