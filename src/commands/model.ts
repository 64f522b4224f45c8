/**
 * `sentiment-batch model pull [--repo ID] [--revision REV] [--model-dir DIR]`
 * and `sentiment-batch model list`: fetch the local backend's model from the
 * Hugging Face Hub once, and see what is there.
 */
import { parseArgv } from '../config/argv.js';
import { didYouMean } from '../config/did-you-mean.js';
import { causes, ConfigError, ExitCode } from '../errors.js';
import { listCachedModels, type CachedSnapshot } from '../hub/list.js';
import { DEFAULT_REPO, DEFAULT_REVISION, checkRepoId, checkRevision, readHubEnv } from '../hub/hub-env.js';
import { resumeAdvice } from '../hub/resume-advice.js';
import type { HubFileWrite, ProgressListener } from '../hub/download-file.js';
import { machineFaultOf } from '../machine-fault.js';
import { withoutKnownSecret } from '../process/known-secret.js';
import type { FaultAdvice } from '../machine-fault-advice.js';
import type { CommandIo } from './score.js';

export const MODEL_HELP = `Usage:
  sentiment-batch model pull [--repo ID] [--revision REV] [--model-dir DIR]
  sentiment-batch model list

pull   downloads the ONNX export used by --backend local (config.json, tokenizer files,
       onnx/model_quantized.onnx ≈ 67 MB) and verifies each file's hash. Resumes an
       interrupted download; a second pull of the same revision downloads nothing.
         --repo ID        Hub model id (default ${DEFAULT_REPO})
         --revision REV   branch, tag or commit (default ${DEFAULT_REVISION})
         --model-dir DIR  into this folder instead of the Hub cache (e.g. to bake into an image)
list   shows the models in the Hub cache: repo, revision, commit, size, folder.

Environment: HF_ENDPOINT (a mirror), HF_HUB_CACHE or HF_HOME (where), HF_TOKEN (gated repos),
HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
`;

/** The options of `model pull`, which `model list` refuses by name. */
const PULL_FLAGS: readonly string[] = ['repo', 'revision', 'model-dir'];

/** The commands of `model`: a misspelt one is refused with the nearest. */
const MODEL_COMMANDS: readonly string[] = ['pull', 'list'];

export async function modelCommand(argv: string[], io: CommandIo & { stderr: NodeJS.WritableStream & { isTTY?: boolean } }): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(MODEL_HELP);
    return sub === undefined ? ExitCode.Usage : ExitCode.Done;
  }
  // Named before the flags are read (the first mistake first), with the did-you-mean a misspelt command or flag gets.
  if (!MODEL_COMMANDS.includes(sub)) {
    throw new ConfigError(`unknown model command '${sub}'${didYouMean(sub, MODEL_COMMANDS)}; expected pull or list (see 'sentiment-batch model --help')`);
  }
  // The same parser as the other commands: one line with a did-you-mean for an unknown flag. Pull's options are known to
  // list too, so that one given there gets its own line (below), not "unknown".
  const parsed = parseArgv(rest, [...PULL_FLAGS.map((flag) => ({ flag, named: flag === 'model-dir' })), { flag: 'help', short: 'h', boolean: true }], `model ${sub}`, 0);
  if (parsed.positionals.length > 0) throw new ConfigError(`model ${sub} takes no other arguments, got ${parsed.positionals.join(' ')}`);
  // `model list --repo x/y` listed the whole cache, exit 0, the option dropped unread.
  const pullOnly = PULL_FLAGS.filter((flag) => sub === 'list' && parsed.strings.has(flag)).map((flag) => `--${flag}`);
  if (pullOnly.length > 0) {
    const cache = readHubEnv(io.env).cacheDir;
    throw new ConfigError(`${pullOnly.join(', ')}: ${pullOnly.length > 1 ? 'options' : 'an option'} of model pull that model list does not take (it lists every model in the Hub cache, ${cache}); see sentiment-batch model --help`);
  }
  const last = (flag: string): string | undefined => parsed.strings.get(flag)?.at(-1);
  const values = { repo: last('repo'), revision: last('revision'), 'model-dir': last('model-dir'), help: parsed.booleans.has('help') };
  if (values.help) {
    io.stdout.write(MODEL_HELP);
    return ExitCode.Done;
  }
  const hub = readHubEnv(io.env);
  if (sub === 'list') {
    let models: ReturnType<typeof listCachedModels>;
    try {
      models = listCachedModels(hub.cacheDir);
    } catch (error) {
      // Reading only: no download to resume, no checkpoint to continue from.
      throw machineFaultOf(error, { flag: 'HF_HUB_CACHE', again: 'then run the same command again' }) ?? error;
    }
    if (models.length === 0) {
      io.stdout.write(`No models in the Hub cache ${hub.cacheDir}. Run 'sentiment-batch model pull' to fetch one.\n`);
      return ExitCode.Done;
    }
    for (const m of models) {
      const refs = m.refs.length > 0 ? m.refs.join(', ') : 'no ref';
      const state = m.complete ? 'complete' : m.missing.length > 0 ? `incomplete: missing ${m.missing.join(', ')}; ${resumeAdvice(m)}` : damagedState(m);
      io.stdout.write(`${m.repo}  ${refs} → ${m.commit}  ${(m.bytes / 1e6).toFixed(1)} MB  ${state}\n  ${m.folder}\n`);
    }
    return ExitCode.Done;
  }
  // `sub` is 'pull' here: any other was refused above.
  const repo = checkRepoId(values.repo ?? DEFAULT_REPO);
  const revision = checkRevision(values.revision ?? DEFAULT_REVISION);
  // Loaded only for a pull: `model list` and --help need no HTTP client (undici).
  const { pullModel } = await import('../hub/pull.js');
  // A full disk or a read-only cache folder is the machine's fault (exit 74): the line names the folder and how to move it.
  const advice: FaultAdvice = { flag: values['model-dir'] !== undefined ? '--model-dir' : 'HF_HUB_CACHE', again: 'then run the same command again (it resumes the download in the same folder; in another it downloads afresh)' };
  // Pull's own lines pass the scrub the log lines and the last line pass (process/known-secret.ts): HF_TOKEN pasted as
  // --revision was said whole in the line before a retry (`… HTTP 503 for <repo>@<token>/config.json: trying again`).
  const stderr: LineOut = { isTTY: io.stderr.isTTY, write: (text) => io.stderr.write(withoutKnownSecret(text)) };
  // A signal exits 130 at once, as before; it said 'nothing under way to save' over a download of tens of MB kept in
  // <file>.incomplete, which the same command resumes.
  const removeExit = io.onSignalExit?.(async (signal) => {
    stderr.write(`sentiment-batch: stopped by ${signal}; what was downloaded is kept: run the same command again to resume\n`);
  });
  const result = await pullModel({
    hub,
    repo,
    revision,
    modelDir: values['model-dir'],
    onFile: (file, state, bytes, size) => {
      if (state === 'present') stderr.write(`${file}: already there\n`);
      // Also said when the holder was killed (-9) moments ago: its lock is not stale yet, and nothing else is at work.
      if (state === 'waiting') stderr.write(`${file}: another model pull is fetching it: waiting for it to finish (one that was stopped holds it 20 s at most)\n`);
      if (state === 'damaged') stderr.write(`${file}: the copy there does not match the Hub's hash (damaged): downloading it again\n`);
      // Said before its progress: a resumed file's bar or quarters begin part-way, and nothing else said why.
      if (state === 'resuming' && bytes !== undefined) stderr.write(`${file}: resuming at ${(bytes / 1e6).toFixed(1)} MB${size === undefined ? '' : ` of ${(size / 1e6).toFixed(1)} MB`} (the bytes an earlier try kept)\n`);
    },
    onProgress: (file) => progressLine(file, stderr),
    onRetry: (...retry) => stderr.write(retryLine(...retry)),
  })
    .catch((error: unknown) => {
      throw machineFaultOf(error, withRoomNeeded(advice, error)) ?? error;
    })
    .finally(() => removeExit?.());
  const what = result.downloaded.length === 0 ? 'nothing to download, already complete' : `downloaded ${result.downloaded.join(', ')}`;
  io.stdout.write(`${repo}@${revision} → ${result.commit}: ${what}\n${result.folder}\n`);
  return ExitCode.Done;
}

/**
 * A full disk's line says how much more the file needs there (download-file.ts sets what it had written): 'free some
 * space' alone left a user freeing a few MB for the 67 MB ONNX file, to be stopped again.
 */
function withRoomNeeded(advice: FaultAdvice, error: unknown): FaultAdvice {
  let write: HubFileWrite | undefined;
  for (const current of causes(error)) {
    if ((current as { code?: unknown }).code === 'ENOSPC') write = (current as { hubFile?: HubFileWrite }).hubFile;
    if (write) break;
  }
  if (write?.size === undefined) return advice;
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
  return { ...advice, again: `${advice.again}; ${write.file} needs ${mb(write.size - write.written)} MB more there (${mb(write.size)} MB, ${mb(write.written)} MB of it written)` };
}

/** A snapshot whose files are there, some not of the size their pull checked: the same pull fetches them again. */
function damagedState(m: Pick<CachedSnapshot, 'repo' | 'refs' | 'damaged'>): string {
  const files = m.damaged.map((d) => `${d.file} is ${d.size} bytes, its pull checked ${d.pulled}`).join('; ');
  return `damaged: ${files}; ${resumeAdvice(m, 'fetches it again')}`;
}

/** Where pull's lines go: standard error, through the scrub. */
export interface LineOut {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * The line said before a file is tried again. The failure's own advice (run the command again, try later) is what the
 * pull is doing now. A try that got further restarts the count (retry-download.ts): the line says both, or a link
 * dropping every 20 MB read 'try 2 of 4' at each drop.
 */
export function retryLine(file: string, reason: string, attempt: number, attempts: number, delayMs: number, total: number): string {
  const what = reason.replace(/[.;]?\s*(The damaged copy was deleted; )?(run the same command again[^;]*|try again later)$/, '');
  const count = total === attempt ? `${attempt} of ${attempts}` : `${total}, ${attempt} of ${attempts} since the last that got further`;
  return `${file}: ${what}: trying again in ${delayMs / 1000} s (try ${count})\n`;
}

/**
 * A progress bar on a terminal (redrawn at most 10 times a second). Otherwise (a log: docker logs, CI) one line per
 * file when it is done, and for a file of 10 MB or more a line at each quarter: a slow link's minutes on the 67 MB
 * file showed nothing, which looked like a pull that hung.
 */
export function progressLine(file: string, out: LineOut): ProgressListener {
  let last = 0;
  // The rate is of the bytes this pull received, from its first report: a resumed file's earlier bytes came before.
  let started: { at: number; bytes: number } | undefined;
  let finished = false;
  let quarters = 0;
  return (received, total) => {
    const done = total !== undefined && received >= total;
    const now = Date.now();
    if (finished) return;
    const reached = total !== undefined && total >= 10e6 ? Math.floor((received / total) * 4) : 0;
    // A try the server answered with the whole file (no Range) starts again from 0: so does the rate.
    if (started === undefined || received < started.bytes) {
      started = { at: now, bytes: received };
      // The quarters a resumed file already had are not said as reached now.
      quarters = reached;
    }
    // A file under 0.1 MB (config.json, tokenizer_config.json) said in MB read '0.0 MB': as if nothing came.
    const small = (total ?? received) < 1e5;
    const unit = small ? 'kB' : 'MB';
    const mb = (n: number): string => (n / (small ? 1e3 : 1e6)).toFixed(1);
    const rate = (received - started.bytes) / 1e6 / Math.max(0.001, (now - started.at) / 1000);
    if (!out.isTTY) {
      if (done) out.write(`${file}: ${mb(received)} ${unit} at ${rate.toFixed(1)} MB/s\n`);
      else if (reached > quarters) out.write(`${file}: ${mb(received)}/${mb(total as number)} MB (${reached * 25}%) at ${rate.toFixed(1)} MB/s\n`);
      quarters = Math.max(quarters, reached);
      finished = done;
      return;
    }
    if (!done && now - last < 100) return;
    last = now;
    const share = total ? received / total : 0;
    const bar = '█'.repeat(Math.round(share * 24)).padEnd(24, '░');
    out.write(`\r${file}  ${bar} ${mb(received)}/${total ? mb(total) : '?'} ${unit}  ${rate.toFixed(1)} MB/s${done ? '\n' : ''}`);
    finished = done;
  };
}
