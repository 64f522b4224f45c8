import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, errorMessage } from '../errors.js';
import { STDIN_PATH } from '../io/format.js';
import { DEFAULTS, OPTION_SPECS, type JobSettings, type OptionSpec } from './options.js';
import { show } from './validate.js';

type Partial_ = Partial<JobSettings>;

/** Keys a job file may hold: every option's key plus the input. */
const JOB_FILE_KEYS = new Set<string>(['input', ...OPTION_SPECS.map((s) => s.key)]);
/** Job-file spellings that match the flag names, for people who copy flags over. */
const JOB_FILE_ALIASES: Record<string, keyof JobSettings> = { textColumn: 'text', textField: 'text' };

export interface ParsedCommandLine {
  positionals: string[];
  flags: Partial_;
  help: boolean;
}

/** Parses score/run/estimate flags with node's parseArgs; unknown flags are errors that name the flag. */
export function parseJobFlags(argv: string[]): ParsedCommandLine {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = { help: { type: 'boolean', short: 'h' } };
  for (const spec of OPTION_SPECS) {
    options[spec.flag] = {
      type: spec.boolean ? 'boolean' : 'string',
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError(`${errorMessage(error)}. See --help for the flags.`, { cause: error });
  }
  const flags: Partial_ = {};
  const setBy = new Map<keyof JobSettings, string>();
  for (const spec of OPTION_SPECS) {
    const value = parsed.values[spec.flag];
    if (value === undefined) continue;
    refuseTwoSpellings(setBy, spec.key, `--${spec.flag}`);
    assign(flags, spec.key, spec.parse(`--${spec.flag}`, value));
  }
  return { positionals: parsed.positionals, flags, help: parsed.values.help === true };
}

/** Reads and validates a JSON job file; relative paths in it are relative to the file's folder. */
export function readJobFile(file: string): Partial_ {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read job file ${file}: ${errorMessage(error)}`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`job file ${file} is not valid JSON: ${errorMessage(error)}`, { cause: error });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`job file ${file} must hold a JSON object, got ${show(data)}`);
  }
  const settings: Partial_ = {};
  const setBy = new Map<keyof JobSettings, string>();
  const base = path.dirname(path.resolve(file));
  for (const [rawKey, value] of Object.entries(data)) {
    if (rawKey === 'apiToken') {
      throw new ConfigError(`job file ${file}: do not store the API token in a job file; set CLOUDFLARE_API_TOKEN or CLOUDFLARE_API_TOKEN_FILE`);
    }
    if (rawKey === '$schema' || rawKey === 'description') continue;
    const key = JOB_FILE_ALIASES[rawKey] ?? rawKey;
    if (!JOB_FILE_KEYS.has(key)) {
      throw new ConfigError(`job file ${file}: unknown key '${rawKey}'. Known keys: ${[...JOB_FILE_KEYS].sort().join(', ')}`);
    }
    const name = `job file ${path.basename(file)}: "${rawKey}"`;
    refuseTwoSpellings(setBy, key as keyof JobSettings, `"${rawKey}"`);
    if (key === 'input') {
      if (typeof value !== 'string' || value === '') throw new ConfigError(`${name} expects a path, got ${show(value)}`);
      settings.input = value === STDIN_PATH ? value : path.resolve(base, value);
      continue;
    }
    const spec = OPTION_SPECS.find((s) => s.key === key) as OptionSpec;
    let parsed = spec.parse(name, value);
    if ((key === 'output' || key === 'cache' || key === 'summaryJson') && typeof parsed === 'string') {
      parsed = path.resolve(base, parsed);
    }
    assign(settings, key as keyof JobSettings, parsed);
  }
  return settings;
}

/** Environment: credentials, base URL, Redis. CLOUDFLARE_API_TOKEN_FILE reads a secret file (Docker/Kubernetes). */
export function readEnvironment(env: NodeJS.ProcessEnv): Partial_ {
  const settings: Partial_ = {};
  for (const spec of OPTION_SPECS) {
    const value = spec.env ? env[spec.env] : undefined;
    if (value !== undefined && value !== '') assign(settings, spec.key, spec.parse(spec.env as string, value));
  }
  const token = env.CLOUDFLARE_API_TOKEN;
  const tokenFile = env.CLOUDFLARE_API_TOKEN_FILE;
  if (token) {
    settings.apiToken = token.trim();
  } else if (tokenFile) {
    try {
      settings.apiToken = readFileSync(tokenFile, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(`cannot read CLOUDFLARE_API_TOKEN_FILE ${tokenFile}: ${errorMessage(error)}`, { cause: error });
    }
    if (!settings.apiToken) throw new ConfigError(`CLOUDFLARE_API_TOKEN_FILE ${tokenFile} is empty`);
  }
  return settings;
}

/** flags ?? job file ?? environment ?? defaults, then the checks that need the whole picture. */
export function resolveSettings(layers: { flags: Partial_; jobFile?: Partial_; env: Partial_; input?: string }): JobSettings {
  const merged: Partial_ = { ...DEFAULTS };
  for (const layer of [layers.env, layers.jobFile ?? {}, layers.flags]) {
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
  }
  if (layers.input !== undefined) merged.input = layers.input;
  if (!merged.input) throw new ConfigError('no input: give an input file (or - for standard input), or a job file naming one');
  if (!merged.output) {
    if (merged.input === STDIN_PATH) throw new ConfigError('reading standard input needs an output path: add -o PATH');
    merged.output = defaultOutputPath(merged.input);
  }
  if (/\.gz$/i.test(merged.output)) {
    // Resuming truncates the output to a recorded length, which a gzip stream cannot do.
    throw new ConfigError(`output ${merged.output}: compressed output is not supported; write plain text and compress it afterwards`);
  }
  if (merged.input !== STDIN_PATH && path.resolve(merged.input) === path.resolve(merged.output)) {
    throw new ConfigError(`the output ${merged.output} would overwrite the input; choose another -o`);
  }
  return merged as JobSettings;
}

/** reviews.csv → reviews.scored.csv; reviews.jsonl.gz → reviews.scored.jsonl (output is never compressed). */
export function defaultOutputPath(input: string): string {
  const dir = path.dirname(input);
  const base = path.basename(input).replace(/\.gz$/i, '');
  const ext = path.extname(base);
  return path.join(dir, `${base.slice(0, base.length - ext.length)}.scored${ext}`);
}

/** --text-column and --text-field (textColumn, textField) set one setting: naming both is a mistake, not an override. */
function refuseTwoSpellings(setBy: Map<keyof JobSettings, string>, key: keyof JobSettings, name: string): void {
  const earlier = setBy.get(key);
  if (earlier !== undefined) throw new ConfigError(`${earlier} and ${name} set the same thing; give only one of them`);
  setBy.set(key, name);
}

function assign(target: Partial_, key: keyof JobSettings, value: unknown): void {
  (target as Record<string, unknown>)[key] = value;
}
