/**
 * One case of the input-handling differential fuzz: a mutated input from a seed (input-fuzz-gen.ts) run through the
 * built CLI as a user would (`score FILE -o OUT` with the embedded model, no network, the options the case names),
 * then the same bytes on standard input (`score - --format F -o -`), and for a sample a run killed -9 at a random
 * moment and resumed. Checked per case:
 * - the exit code is one that docs/exit-codes.md gives for a local input (0, 2, 3, 5), and 3 where the input is no
 *   valid export (invalid UTF-8, UTF-16, a cut gzip, Excel's `sep=` line, a quote never closed, NUL in the header);
 * - stderr holds no stack trace (`    at ` lines, `node:internal`);
 * - a refusal's last line says what to do;
 * - on exit 0, the output holds the input's records in order, bytes unchanged, only the new cells appended, each row
 *   scored or carrying its error (input-fuzz-oracle.ts: csv-parse with the same delimiter, JSON.parse per line);
 * - standard input gives the exit code and the bytes the file gives;
 * - a run killed -9 and resumed ends with the bytes of a clean run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkCsvOutput, checkJsonlOutput, csvRecords } from './input-fuzz-oracle.js';
import { generateInput, makeRng, type FuzzFormat, type FuzzInput } from './input-fuzz-gen.js';

/** The exit codes docs/exit-codes.md gives a local run on a file or standard input (no service, no signal). */
export const LOCAL_EXIT_CODES = [0, 2, 3, 5];

export interface InputFuzzResult {
  input: FuzzInput;
  exitCode: number | null;
  stdinExitCode: number | null;
  killed: boolean;
  problems: string[];
  commands: string[];
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  ms: number;
}

function env(): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(CLOUDFLARE_|REDIS_URL|SENTIMENT_BATCH_)/.test(k)) out[k] = v;
  return out;
}

/** Runs the CLI; killAfterMs sends SIGKILL then. A run over timeoutMs is killed too and reported as a hang. */
function runCli(cli: string, args: string[], cwd: string, stdin: Buffer | undefined, killAfterMs?: number, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => {}); // a run that refused before reading standard input closes it early
    child.stdin.end(stdin);
    const kill = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const guard = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (kill !== undefined) clearTimeout(kill);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), ms: performance.now() - started });
    });
  });
}

const EXT: Record<FuzzFormat, string> = { csv: 'csv', tsv: 'tsv', jsonl: 'jsonl' };

/** The last line of stderr that is not a JSON log line: the line a failed command ends with (else the last log message). */
function lastPlainLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const plain = lines.filter((l) => !l.startsWith('{'));
  if (plain.length > 0) return plain[plain.length - 1] as string;
  // No plain line (exit 5 says its verdict in the log): the last log line's message.
  try {
    return String((JSON.parse(lines[lines.length - 1] ?? '{}') as { msg?: unknown }).msg ?? '');
  } catch {
    return '';
  }
}

const ADVICE = /\b(run|add|use|save|convert|delete|remove|write|export|fix|name|check|let it finish|drop|score|give|choose|iconv|jq|decompress|quote|put|rename|did you mean)\b/i;

function streamProblems(what: string, ran: Ran): string[] {
  const problems: string[] = [];
  if (ran.signal !== null) problems.push(`${what}: ended by ${ran.signal} (hang past the time-out?)`);
  else if (!LOCAL_EXIT_CODES.includes(ran.code ?? -1)) problems.push(`${what}: exit ${ran.code}, not one of ${LOCAL_EXIT_CODES.join(', ')}: ${lastPlainLine(ran.stderr).slice(0, 400)}`);
  const trace = ran.stderr.split('\n').find((l) => /^\s{4}at /.test(l) || l.includes('node:internal') || /\\n\s+at /.test(l));
  if (trace !== undefined) problems.push(`${what}: stack trace on stderr: ${trace.slice(0, 300)}`);
  if (ran.code === 2 || ran.code === 3) {
    const line = lastPlainLine(ran.stderr);
    if (!ADVICE.test(line)) problems.push(`${what}: exit ${ran.code} whose last line says nothing to do: ${JSON.stringify(line.slice(0, 300))}`);
  }
  return problems;
}

export function checkOutput(input: FuzzInput, output: Buffer): string[] {
  return input.format === 'jsonl' ? checkJsonlOutput(input.plain, output) : checkCsvOutput(input.plain, output, input.delimiter);
}

/** The rows of an output and how many carry a label, read back as the oracle reads them (undefined: unreadable). */
function outputCounts(input: FuzzInput, output: Buffer): { rows: number; scored: number } | undefined {
  try {
    if (input.format === 'jsonl') {
      const lines = output.toString('utf8').split('\n').filter((l) => l.trim() !== '');
      const scored = lines.filter((l) => typeof (JSON.parse(l.replace(/^\ufeff/, '')) as { sentiment?: { label?: unknown } }).sentiment?.label === 'string').length;
      return { rows: lines.length, scored };
    }
    const records = csvRecords(output, input.delimiter).slice(1).filter((r) => r.raw.replace(/[\r\n]+$/, '') !== '');
    const scored = records.filter((r) => /^(POSITIVE|NEGATIVE)$/.test(r.fields[r.fields.length - 5] ?? '')).length;
    return { rows: records.length, scored };
  } catch {
    return undefined;
  }
}

/** The summary's totals (the JSON log line stderr ends with when it is not a terminal) against the output's rows. */
function summaryProblems(input: FuzzInput, output: Buffer, stderr: string): string[] {
  const line = stderr.split('\n').find((l) => l.startsWith('{') && l.includes('"summary"'));
  if (line === undefined) return ['no summary line on stderr'];
  const totals = (JSON.parse(line) as { summary: { totals: { read: number; scored: number; skipped: number; failed: number } } }).summary.totals;
  const problems: string[] = [];
  if (totals.read !== totals.scored + totals.skipped + totals.failed) problems.push(`summary: read ${totals.read} is not scored + skipped + failed (${JSON.stringify(totals)})`);
  const counts = outputCounts(input, output);
  if (counts !== undefined && (counts.rows !== totals.read || counts.scored !== totals.scored)) problems.push(`summary: read ${totals.read}, scored ${totals.scored}; the output has ${counts.rows} rows, ${counts.scored} with a label`);
  return problems;
}

/** The text a row holds as the oracle reads it (csv-parse's cell, JSON.parse's string), with the score the output gave it. */
function scoredTexts(input: FuzzInput, output: Buffer): Array<{ text: string; positive: string }> | undefined {
  // Each column or field named, in order; several are joined by a line break, blank ones left out (input-formats.md).
  const named = (flag: string, fallback: string): string[] => {
    const names = input.args.flatMap((a, i) => (a === flag ? [input.args[i + 1] as string] : []));
    return names.length > 0 ? names : [fallback];
  };
  const join = (values: unknown[]): string | undefined => {
    if (values.some((v) => v !== null && v !== undefined && typeof v !== 'string')) return undefined;
    return (values.filter((v) => typeof v === 'string' && v.trim() !== '') as string[]).join('\n');
  };
  try {
    if (input.format === 'jsonl') {
      const fields = named('--text-field', 'text');
      const out: Array<{ text: string; positive: string }> = [];
      for (const line of output.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        const record = JSON.parse(line.replace(/^\ufeff/, '')) as Record<string, unknown> & { sentiment?: { label?: string; positive?: number } };
        if (typeof record.sentiment?.label !== 'string') continue;
        const at = (field: string): unknown => (field in record ? record[field] : field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | null | undefined)?.[k], record));
        const text = join(fields.map(at));
        if (text !== undefined) out.push({ text, positive: String(record.sentiment.positive) });
      }
      return out;
    }
    const records = csvRecords(output, input.delimiter);
    const at = named('--text-column', 'text').map((name) => records[0]?.fields.indexOf(name) ?? -1);
    if (at.some((i) => i < 0)) return undefined;
    return records
      .slice(1)
      .filter((r) => /^(POSITIVE|NEGATIVE)$/.test(r.fields[r.fields.length - 5] ?? ''))
      .map((r) => ({ text: join(at.map((i) => r.fields[i] ?? '')) ?? '', positive: r.fields[r.fields.length - 4] ?? '' }));
  } catch {
    return undefined;
  }
}

/**
 * The texts as the oracle reads them, scored again from a plain JSONL file: each must get the score the row got, or the
 * CLI read another text from the row than the one in its bytes (an unescaped quote, a lost character, a merged cell).
 */
async function textProblems(input: FuzzInput, output: Buffer, cli: string, dir: string): Promise<string[]> {
  const texts = scoredTexts(input, output);
  if (texts === undefined || texts.length === 0) return [];
  writeFileSync(path.join(dir, 'texts.jsonl'), texts.map((t) => `${JSON.stringify({ text: t.text })}\n`).join(''));
  const ran = await runCli(cli, ['score', 'texts.jsonl', '-o', 'texts.scored.jsonl', '--allow-numeric-text', '--language-check', 'off'], dir, undefined);
  if (ran.code !== 0) return [];
  const again = readFileSync(path.join(dir, 'texts.scored.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
  const problems: string[] = [];
  texts.forEach((t, i) => {
    const answer = (JSON.parse(again[i] ?? '{}') as { sentiment?: { positive?: number } }).sentiment;
    const positive = String(answer?.positive);
    if (positive !== t.positive && problems.length < 3) problems.push(`text of scored row ${i + 1} ${JSON.stringify(t.text.slice(0, 120))}: scored ${t.positive} in the run, ${positive} on its own: the run read another text`);
  });
  return problems;
}

export interface CaseOptions {
  cli: string;
  dir: string;
  only?: FuzzFormat;
  /** Also run the kill -9 and resume check (on exit-0 cases whose input is complete). */
  kill?: boolean;
}

export async function runInputCase(seed: number, options: CaseOptions): Promise<InputFuzzResult> {
  const { cli, dir } = options;
  const input = generateInput(seed, options.only);
  // Now and then a name whose extension says nothing (a .txt, BigQuery's .json), read with --format as the user must.
  const naming = makeRng(seed ^ 0xf11e);
  const other = naming() < 0.15 ? (input.format === 'jsonl' && naming() < 0.5 ? 'json' : naming() < 0.5 ? 'txt' : 'dat') : undefined;
  const file = `in.${other ?? EXT[input.format]}${input.gzip ? '.gz' : ''}`;
  writeFileSync(path.join(dir, file), input.bytes);
  const problems: string[] = [];
  const commands: string[] = [];
  const fileArgs = ['score', file, '-o', `out.${EXT[input.format]}`, ...(other !== undefined ? ['--format', input.format] : []), ...input.args];
  commands.push(`cd ${dir} && node ${cli} ${fileArgs.map((a) => JSON.stringify(a)).join(' ')}`);
  const ran = await runCli(cli, fileArgs, dir, undefined);
  problems.push(...streamProblems('file', ran));
  let output: Buffer | undefined;
  if (ran.code === 0) {
    const out = path.join(dir, `out.${EXT[input.format]}`);
    if (!existsSync(out)) problems.push('exit 0 but no output file');
    else {
      output = readFileSync(out);
      problems.push(...checkOutput(input, output).map((p) => `output: ${p}`));
      problems.push(...summaryProblems(input, output, ran.stderr));
      if (problems.length === 0) problems.push(...(await textProblems(input, output, cli, dir)));
    }
  }
  if (input.mustRefuse && ran.code !== 3 && ran.code !== 2) problems.push(`file: exit ${ran.code} for an input that is no valid export (${input.features.join(', ')}); expected exit 3`);

  const stdinArgs = ['score', '-', '--format', input.format, '-o', '-', ...input.args];
  commands.push(`node ${cli} ${stdinArgs.map((a) => JSON.stringify(a)).join(' ')} < ${file}`);
  const viaStdin = await runCli(cli, stdinArgs, dir, input.bytes);
  problems.push(...streamProblems('stdin', viaStdin));
  if (viaStdin.code !== ran.code) problems.push(`stdin: exit ${viaStdin.code}, the file ${ran.code}: ${lastPlainLine(viaStdin.code === 0 ? ran.stderr : viaStdin.stderr).slice(0, 300)}`);
  else if (ran.code === 0 && output !== undefined && !viaStdin.stdout.equals(output)) problems.push(`stdin: output differs from the file's (${viaStdin.stdout.length} bytes, the file's ${output.length})`);

  let killed = false;
  if (options.kill === true && ran.code === 0 && output !== undefined && problems.length === 0) {
    const kill = await killAndResume(seed, input, cli, dir, commands);
    killed = kill.killed;
    problems.push(...kill.problems);
  }
  return { input, exitCode: ran.code, stdinExitCode: viaStdin.code, killed, problems, commands };
}

/**
 * The case's records repeated to a few thousand rows, scored once cleanly and once killed -9 at random moments (the
 * same command run again after each kill): the resumed output must be the clean run's bytes.
 */
async function killAndResume(seed: number, input: FuzzInput, cli: string, dir: string, commands: string[]): Promise<{ killed: boolean; problems: string[] }> {
  const plain = input.plain;
  if (!/\n$/.test(plain.toString('latin1'))) return { killed: false, problems: [] };
  let head = 0;
  if (input.format !== 'jsonl') {
    try {
      const recs = csvRecords(plain, input.delimiter);
      head = Buffer.byteLength(recs[0]?.raw ?? '') + (plain.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0);
    } catch {
      return { killed: false, problems: [] };
    }
  }
  const body = plain.subarray(head);
  if (body.length === 0) return { killed: false, problems: [] };
  const copies = Math.max(1, Math.ceil(400_000 / body.length));
  const big = Buffer.concat([plain.subarray(0, head), ...Array<Buffer>(Math.min(copies, 4000)).fill(body)]);
  const ext = EXT[input.format];
  // A gzip case's copy is gzip too: its resume decompresses from the start and discards up to the checkpoint.
  const bigName = `big.${ext}${input.gzip ? '.gz' : ''}`;
  writeFileSync(path.join(dir, bigName), input.gzip ? gzipSync(big) : big);
  // --max-error-rate 1: a few failed rows that a small case held under the rate can pass it in a window of the copy.
  const common = ['--checkpoint-interval', '200ms', '--max-error-rate', '1', ...input.args];
  const clean = await runCli(cli, ['score', bigName, '-o', `clean.${ext}`, ...common], dir, undefined);
  if (clean.code !== 0) return { killed: false, problems: [`kill: the clean run of the repeated input exited ${clean.code}: ${lastPlainLine(clean.stderr).slice(0, 300)}`] };
  const cleanOut = readFileSync(path.join(dir, `clean.${ext}`));
  const bigProblems = checkOutput({ ...input, plain: big }, cleanOut).map((p) => `kill: the repeated input's clean output: ${p}`);
  if (bigProblems.length > 0) return { killed: false, problems: bigProblems };
  const rng = makeRng(seed ^ 0x5eed);
  const args = ['score', bigName, '-o', `cut.${ext}`, ...common];
  commands.push(`cd ${dir} && node ${cli} ${args.join(' ')}  # killed -9 at random moments, then run again`);
  let killed = false;
  const problems: string[] = [];
  for (let round = 0; round < 4; round++) {
    // Any moment from the start on: in the setup, at the first checkpoint, mid-run, as the output completes.
    const at = Math.floor(rng() * (clean.ms + 100));
    const cut = await runCli(cli, args, dir, undefined, at);
    if (cut.signal === 'SIGKILL') {
      killed = true;
      continue;
    }
    problems.push(...streamProblems(`kill round ${round}`, cut));
    break;
  }
  const last = await runCli(cli, args, dir, undefined);
  problems.push(...streamProblems('kill: the last rerun', last));
  if (last.code !== 0) problems.push(`kill: the last rerun exited ${last.code}: ${lastPlainLine(last.stderr).slice(0, 300)}`);
  else if (!readFileSync(path.join(dir, `cut.${ext}`)).equals(cleanOut)) problems.push('kill: the resumed output differs from the clean run');
  return { killed, problems };
}
