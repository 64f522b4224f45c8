/**
 * Where the Hugging Face Hub is and where its files are kept, by the Hub's own
 * conventions: HF_ENDPOINT (a mirror), HF_HUB_CACHE or HF_HOME/hub (default
 * ~/.cache/huggingface/hub, or $XDG_CACHE_HOME/huggingface/hub), HF_TOKEN.
 * Proxies (HTTPS_PROXY, NO_PROXY) are the HTTP client's business (download.ts).
 */
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { readSecret } from '../config/secret-source.js';

/** The transformers.js ONNX export of distilbert-base-uncased-finetuned-sst-2-english (int8 weights). */
export const DEFAULT_REPO = 'Xenova/distilbert-base-uncased-finetuned-sst-2-english';
export const DEFAULT_REVISION = 'main';
export const ONNX_FILE = 'onnx/model_quantized.onnx';
/** What `model pull` fetches; the backend needs config.json and the ONNX file. */
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', ONNX_FILE] as const;
export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export interface HubEnv {
  endpoint: string;
  cacheDir: string;
  token: string | undefined;
}

export function readHubEnv(env: NodeJS.ProcessEnv): HubEnv {
  // Read first: a refusal below quotes the value given, which may be this token pasted into HF_ENDPOINT.
  const token = readSecret({ env, variable: 'HF_TOKEN', trim: 'white-space' })?.value;
  const endpoint = (env.HF_ENDPOINT || DEFAULT_ENDPOINT).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError(`HF_ENDPOINT expects a URL such as ${DEFAULT_ENDPOINT}, got '${endpoint}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`HF_ENDPOINT must be an http(s) URL, got '${endpoint}'`);
  const home = env.HF_HOME || path.join(xdgCacheHome(env) ?? path.join(userHome(), '.cache'), 'huggingface');
  const cacheDir = path.resolve(env.HF_HUB_CACHE || path.join(home, 'hub'));
  return { endpoint, cacheDir, token };
}

/**
 * XDG_CACHE_HOME when it is an absolute path. The XDG spec has a relative one ignored: resolved against the working
 * folder, the cache moved with every cd, and a model pulled from one folder was not found from another.
 */
function xdgCacheHome(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.XDG_CACHE_HOME;
  return value !== undefined && path.isAbsolute(value) ? value : undefined;
}

/**
 * The user's home: HOME, or the system's record of the user when HOME is empty (`env HOME= …`, a unit's
 * `Environment=HOME=`), for which os.homedir() gives '' and the cache was `.cache/…` in the working folder.
 */
function userHome(): string {
  const home = os.homedir();
  if (home !== '') return home;
  try {
    return os.userInfo().homedir;
  } catch {
    // A uid with no passwd entry (docker run --user 12345): no home to give; the working folder, as before.
    return home;
  }
}

/** `owner/name`: what the Hub accepts as a model repo id. */
export function checkRepoId(repo: string): string {
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo) || repo.includes('..')) {
    throw new ConfigError(`--repo expects a Hub model id such as ${DEFAULT_REPO}, got '${repo}'`);
  }
  return repo;
}

/**
 * A branch, tag or commit, as git names them (`main`, `v1.0`, `refs/pr/1`). The revision names the file the commit is
 * recorded in (refs/<revision> in the cache): `../../x` wrote the commit's 40 characters to a file outside the cache
 * when a mirror answered it. git refuses such names (git check-ref-format), so no Hub has one.
 */
export function checkRevision(revision: string): string {
  const fits = revision.split('/').every((part) => part !== '' && !part.startsWith('.')) && !/[\\\x00-\x20\x7f]/.test(revision);
  if (!fits) throw new ConfigError(`--revision expects a branch, tag or commit of the repo such as main or refs/pr/1, got '${revision}'`);
  return revision;
}
