/**
 * Fetches one file into `target`, resumably and atomically: bytes go to
 * `<target>.incomplete`, a later attempt asks only for the rest (HTTP Range),
 * the whole is checked against the Hub's hash, and only then renamed into
 * place. A file that does not match is deleted, never used.
 */
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dispatcher } from 'undici';
import { withPath } from '../machine-fault.js';
import { writeFully } from '../io/write-fully.js';
import { makeFolders } from '../paths/create-folder.js';
import { syncDirectory } from '../state/atomic-write.js';
import { hashLike } from './file-hash.js';
import { passes } from './retry-download.js';
import { downloadError, httpError, redirectTarget, resolveUrl, send, stallWords, type HubFileInfo, type HubRequest } from './hub-file.js';

/** Called once as a transfer starts, with the bytes it resumes from (0 when none), then after each part written. */
export type ProgressListener = (received: number, total: number | undefined) => void;

const MAX_REDIRECTS = 5;

/**
 * The most bytes a model file may have: onnxruntime loads no ONNX file over 2 GiB (protobuf's limit; a larger model
 * keeps its weights in external data files, which pull does not fetch), and JSON.parse no text near it. A Hub, a mirror
 * or whatever answers in their place that sends more than announced (or announces more than this) filled the disk:
 * 2.36 GB were written in 8 s for a 0.6 MB file before the first check, at the end, found it corrupt.
 */
export const MAX_FILE_BYTES = 2 ** 31;

/** `lost`: the file's lock was taken from this pull (file-lock.ts): its copy must not be renamed into place. */
/** `onResume`: the server sent the rest of a copy kept from an earlier try (HTTP 206), from this many bytes. */
export async function downloadFile(
  info: HubFileInfo,
  r: HubRequest,
  target: string,
  onProgress: ProgressListener,
  lost: () => boolean = () => false,
  onResume: (kept: number) => void = () => undefined,
): Promise<void> {
  makeFolders(path.dirname(target));
  const incomplete = `${target}.incomplete`;
  let have = (await stat(incomplete).catch(() => undefined))?.size ?? 0;
  // A pull killed after the last byte, before the rename (while it hashed the file), left it whole: a Range from its
  // end is answered 416, every pull after failed on it. A whole copy that matches needs nothing more; one that does
  // not is fetched afresh.
  if (info.size !== undefined && have === info.size && (await matchesHub(incomplete, info))) {
    await putInPlace(incomplete, target, r, lost);
    return;
  }
  if (info.size !== undefined && info.size > MAX_FILE_BYTES) {
    throw downloadError(`${r.file} is announced as ${info.size} bytes, more than the ${MAX_FILE_BYTES} a model file may be: is HF_ENDPOINT a Hub (or a mirror of one), and --repo a model with an ONNX export?`);
  }
  if (info.size !== undefined && have >= info.size) have = 0;
  const { response, url } = await getFollowing(info.url, r, have > 0 ? { range: `bytes=${have}-` } : {});
  // The host that sent the whole file to a request for the rest (it ignores Range), named if this try is cut too.
  const ignoresRange = have > 0 && response.statusCode !== 206 ? new URL(url).origin : undefined;
  if (response.statusCode !== 206) have = 0; // the server sent the whole file: start over
  const resumed = have > 0;
  if (resumed) onResume(have);
  const handle = await open(incomplete, have > 0 ? 'a' : 'w');
  let received = have;
  onProgress(received, info.size);
  // A write this machine refuses (a full disk) is its fault, not the download's: machine-fault.ts words it (exit 74).
  let writing = false;
  const limit = info.size ?? MAX_FILE_BYTES;
  let over = false;
  try {
    for await (const chunk of response.body) {
      // Leaving the loop destroys the body: no more of it is read.
      if (received + (chunk as Buffer).length > limit) {
        over = true;
        break;
      }
      writing = true;
      await writeFully(handle, chunk as Buffer, null);
      writing = false;
      received += (chunk as Buffer).length;
      onProgress(received, info.size);
    }
    writing = true;
    await handle.sync();
  } catch (error) {
    if (writing) {
      // How much more the file needs, for the line a full disk gives (commands/model.ts): 'free some space' said not how much.
      if (error instanceof Error) Object.assign(error, { hubFile: { file: r.file, size: info.size, written: received } satisfies HubFileWrite });
      throw withPath(error, incomplete);
    }
    // A body that stopped coming (the connection open) is said with how long it was waited for, not undici's 'Body Timeout Error'.
    const why = (error as { code?: unknown }).code === 'UND_ERR_BODY_TIMEOUT' ? stallWords(r) : (error as Error).message;
    // `received`: the bytes now in <file>.incomplete, by which the retry tells a try that got further (retry-download.ts).
    throw passes(downloadError(`the download of ${r.file} was cut after ${received} bytes (${why}); run the same command again to resume`, error), received, ignoresRange);
  } finally {
    await handle.close();
  }
  if (over) {
    await rm(incomplete, { force: true });
    const announced = info.size !== undefined ? 'the Hub announced' : 'a model file may be';
    throw downloadError(`${r.file}: the server sent more than the ${limit} bytes ${announced}; what came was deleted. Is HF_ENDPOINT a Hub (or a mirror of one)?`);
  }
  // A body that ended cleanly short of the announced size (a proxy or CDN capping an answer's size) was hashed as whole,
  // said 'corrupt' and deleted, each pull alike: it is a transfer cut short, its bytes kept and the rest asked for.
  if (info.size !== undefined && received < info.size) {
    throw passes(downloadError(`the download of ${r.file} was cut after ${received} bytes (the answer ended short of the ${info.size} bytes the Hub announced); run the same command again to resume`), received, ignoresRange);
  }
  await verify(incomplete, info, r.file, resumed);
  await putInPlace(incomplete, target, r, lost);
}

/** Set on an error the machine gave writing a file's bytes: the file, its announced size and the bytes already written. */
export interface HubFileWrite {
  file: string;
  size: number | undefined;
  written: number;
}

async function putInPlace(incomplete: string, target: string, r: HubRequest, lost: () => boolean): Promise<void> {
  if (lost()) throw downloadError(`another model pull took over ${r.file} while this one was stalled (its lock went stale); run the same command again`);
  await rename(incomplete, target);
  await syncDirectory(path.dirname(target));
}

async function getFollowing(url: string, r: HubRequest, headers: Record<string, string>) {
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await send(url, 'GET', r, headers);
    const location = response.headers.location;
    if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
      await response.body.dump();
      url = redirectTarget(location, url, r);
      continue;
    }
    if (response.statusCode === 200 || response.statusCode === 206) {
      await refuseWebPage(response, url, r);
      return { response, url };
    }
    await response.body.dump();
    throw httpError(response.statusCode, r, url);
  }
  throw downloadError(`too many redirects fetching ${r.file}`);
}

/**
 * None of the model's files is a web page: a 200 with text/html is a proxy's block page, a captive portal's sign-in or
 * a mirror's error page answering in the file's place. It was saved, found 'corrupt' and deleted, with 'run the same
 * command again', which fetched the same page again.
 */
async function refuseWebPage(response: Dispatcher.ResponseData, url: string, r: HubRequest): Promise<void> {
  const type = String(response.headers['content-type'] ?? '');
  if (!/^\s*text\/html\b/i.test(type)) return;
  await response.body.dump();
  const host = new URL(url).origin;
  throw downloadError(
    `${host} answered a web page (${type.split(';')[0]?.trim()}) instead of ${r.file}: something between this machine and the Hub ` +
      '(a proxy, a firewall, a captive portal, or HF_ENDPOINT naming a site that is not a Hub mirror) answers in its place; ' +
      `open ${resolveUrl(r)} in a browser from this machine to see the page, fix that, then run the same command again`,
  );
}

/** Whether `file` is the one the Hub announces: its hash and size. */
export async function matchesHub(file: string, info: HubFileInfo): Promise<boolean> {
  const { size, actual } = await hashLike(file, info.hash);
  return actual === info.hash && (info.size === undefined || size === info.size);
}

/**
 * `resumed`: the copy began with bytes of an earlier attempt, which may be another file's (an interrupted pull of
 * another revision into the same --model-dir): deleted, the retry (retry-download.ts) fetches the whole afresh.
 */
async function verify(file: string, info: HubFileInfo, name: string, resumed: boolean): Promise<void> {
  const { size, actual } = await hashLike(file, info.hash);
  if (actual !== info.hash || (info.size !== undefined && size !== info.size)) {
    await rm(file, { force: true });
    const failure = downloadError(
      `${name} is corrupt: ${size} bytes hashing to ${actual}, expected ${info.size ?? '?'} bytes hashing to ${info.hash}. ` +
        'The damaged copy was deleted; run the same command again to download it afresh.',
    );
    throw resumed ? passes(failure) : failure;
  }
}
