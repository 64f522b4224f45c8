/**
 * Failure classification for the Workers AI client: the ONE place that turns
 * an HTTP status or a Cloudflare error code (here) or a transport error
 * (transport-failure.ts, re-exported here) into a `ScoringError` whose `kind`
 * says what the job does next:
 * retry | row (write the row with an error) | pause (stop for today) | fatal.
 *
 * The table follows ../shared/docs/workers-ai.md ("Error codes"). Combinations
 * the documentation does not cover are decided in the table below, each with
 * its reason.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ScoringError, type FailureKind, type RowFailure } from '../errors.js';
import { isPlainObject } from '../io/dotted-path.js';
import { shownWithin } from '../wording/shown-start.js';
import { DEFAULT_MODEL } from './workers-ai-defaults.js';

export { classifyTransportError, type TransportContext } from './transport-failure.js';

/** What the client saw of a non-2xx answer. */
export interface HttpFailure {
  status: number;
  headers?: IncomingHttpHeaders | Record<string, string | string[] | undefined>;
  /** The answer's body as text (possibly cut short); need not be JSON. */
  body?: string;
  /** The model asked for, so a fatal message can name it. */
  model?: string;
  /** Where the credentials came from, so a fatal message sends the operator to the right place. */
  names?: CredentialNames;
  /** The base URL the request went to, so a 404 from one with no path can name the /client/v4 it lacks. */
  baseUrl?: string;
}

/**
 * The token and the account id as the operator gave them: `CLOUDFLARE_API_TOKEN` or the token in
 * `CLOUDFLARE_API_TOKEN_FILE` (what containers use), `CLOUDFLARE_ACCOUNT_ID`, `--account-id` or a job file's key.
 */
export interface CredentialNames {
  token: string;
  account: string;
}

export const DEFAULT_CREDENTIAL_NAMES: CredentialNames = { token: 'CLOUDFLARE_API_TOKEN', account: 'CLOUDFLARE_ACCOUNT_ID' };

interface Facts {
  status: number;
  /** Every numeric code in the envelope's `errors` array, in order. */
  cfCodes: number[];
  serverMessage: string | undefined;
  model: string;
  location: string | undefined;
  names: CredentialNames;
  baseUrl: string | undefined;
}

interface Rule {
  /** Matches when every given condition holds. */
  status?: (status: number) => boolean;
  codes?: readonly number[];
  kind: FailureKind;
  /** A `row` failure not known to be the text's fault (ScoringError.unsure). */
  unsure?: true;
  rowCode: string | ((facts: Facts, code: number | undefined) => string);
  explain: (facts: Facts, where: string) => string;
}

const is = (...statuses: number[]) => (status: number) => statuses.includes(status);
const between = (low: number, high: number) => (status: number) => status >= low && status <= high;
/**
 * The row codes of a refusal for the text itself (the rules of kind 'row' below that are sure of it): the only failures
 * the answer journal keeps, as the only ones a rerun does not send again (journal/journal-format.ts).
 */
export const TEXT_REFUSAL_CODES: ReadonlySet<string> = new Set(['too_large', 'bad_input']);

/** The documentation's codes for a text the model refuses (bad input, invalid data, an incomplete request): per-row, not retried. */
const BAD_INPUT_CODES: readonly number[] = [5006, 5004, 3003];
const badInputWords = (where: string) => `Workers AI rejected the text as bad input (${where})`;

/**
 * A 2xx whose envelope says `success: false` with a bad-input code: the text's fault, as on a 400 with that code, not a
 * malformed answer (which was retried 6 times a row). Undefined for any other body: answer.ts refuses it as malformed.
 */
export function badInputOnSuccess(status: number, body: string): ScoringError | undefined {
  const envelope = parseErrorEnvelope(body);
  const code = envelope.codes.find((c) => BAD_INPUT_CODES.includes(c));
  if (code === undefined) return undefined;
  const said = envelope.message ? `; the service said: ${envelope.message}` : '';
  return new ScoringError('row', 'bad_input', `${badInputWords(`HTTP ${status}, code ${code}`)}${said}`, { status, cfCode: code });
}

const codeOrStatus = (f: Facts, code: number | undefined) => (code !== undefined ? `cf_${code}` : `http_${f.status}`);

/** A wrong account id is the usual cause of Cloudflare's 7003/7000: named first. Every request gets the same answer. */
const noRoute = (f: Facts, where: string): string =>
  `Cloudflare has no route for this request (${where}): check ${f.names.account} (the Account ID of 32 hex digits that the ` +
  'Cloudflare dashboard shows, not an email or a token), then the model id and the base URL' + bareOrigin(f.baseUrl);

/**
 * `--base-url http://127.0.0.1:8787`, as serve's `listening on` line reads, or the API's host alone: every request is
 * answered 404 (serve: 7000, No route for that URI), and "check … the base URL" did not say what is wrong with it.
 */
function bareOrigin(baseUrl: string | undefined): string {
  if (baseUrl === undefined || !URL.canParse(baseUrl)) return '';
  const url = new URL(baseUrl);
  if (url.pathname !== '/' && url.pathname !== '') return '';
  return `: the base URL ${url.origin} has no path, and Workers AI's API (as serve) answers under /client/v4: use ${url.origin}/client/v4`;
}

/** First matching rule wins: order matters (codes before the bare status they usually come with). */
const RULES: readonly Rule[] = [
  // Daily neuron allocation: retrying before 00:00 UTC only burns requests.
  { codes: [3036, 4006], kind: 'pause', rowCode: 'daily_quota', explain: (_f, where) =>
      `Workers AI daily free allocation is used up (${where}): the allocation resets at 00:00 UTC; ` +
      'run the same command again after that to resume (or move the account to Workers Paid)' },
  { status: is(401), kind: 'fatal', rowCode: 'auth', explain: (f, where) =>
      `Cloudflare rejected the API token (${where}): check ${f.names.token} is a valid token with the Workers AI permission ` +
      `on the account in ${f.names.account}` },
  { codes: [10000], kind: 'fatal', rowCode: 'auth', explain: (f, where) =>
      `Cloudflare rejected the API token (${where}): check ${f.names.token} has the Workers AI permission ` +
      `and belongs to the account in ${f.names.account}` },
  { codes: [5007, 3042], kind: 'fatal', rowCode: 'unknown_model', explain: (f, where) =>
      `Workers AI does not know the model '${f.model}' (${where}): check the model id` +
      (f.model === DEFAULT_MODEL ? '' : ` (the default, ${DEFAULT_MODEL}, is the model this tool reads)`) },
  { codes: [3023], kind: 'fatal', rowCode: 'forbidden', explain: (_f, where) =>
      `Cloudflare reports the account is blocked from Workers AI (${where}): check the account in the dashboard` },
  { codes: [5016], kind: 'fatal', rowCode: 'forbidden', explain: (f, where) =>
      `The model '${f.model}' requires accepting its license agreement first (${where}): accept it once for this account, then run again` },
  { codes: [5018], kind: 'fatal', rowCode: 'forbidden', explain: (f, where) =>
      `This account is not allowed to use the model '${f.model}' (${where}): check the account's plan and the model id` },
  { status: is(403), kind: 'fatal', rowCode: 'forbidden', explain: (f, where) =>
      `Cloudflare refused access (${where}): check ${f.names.token} has the Workers AI permission ` +
      `for the account in ${f.names.account}` },
  // 7003 "Could not route to /client/v4/accounts/…, perhaps your object identifier is invalid?", on a 400 (with 7000 "No
  // route for that URI") or a 404: what Cloudflare answers a wrong account id (an email or a token pasted there).
  { status: between(400, 499), codes: [7003], kind: 'fatal', rowCode: 'endpoint', explain: noRoute },
  // A 404 without a model code: wrong model id, account id or base URL. All are configuration.
  { status: is(404), kind: 'fatal', rowCode: 'unknown_model', explain: (f, where) =>
      `The endpoint for model '${f.model}' was not found (${where}): check the model id, ${f.names.account} and the base URL${bareOrigin(f.baseUrl)}` },
  // 7000 "No route for that URI" on a 400 (with 7003 or alone): a wrong account id too (see noRoute).
  { status: between(400, 499), codes: [7000], kind: 'fatal', rowCode: 'endpoint', explain: noRoute },
  { codes: [3021], kind: 'retry', rowCode: 'rate_limited', explain: (_f, where) =>
      `Workers AI per-minute request limit reached (${where})` },
  { codes: [3040], kind: 'retry', rowCode: 'capacity', explain: (_f, where) =>
      `Workers AI is temporarily out of capacity (${where})` },
  // A 429 with no code or an unknown one: 429 means "slow down", so retry. If it were in fact a
  // new daily-quota code, every row gives up after its attempts and --max-errors stops the run.
  { status: is(429), kind: 'retry', rowCode: 'rate_limited', explain: (_f, where) => `Workers AI asked to slow down (${where})` },
  { status: is(408), kind: 'retry', rowCode: 'server_timeout', explain: (_f, where) => `Workers AI timed out on the request (${where})` },
  { codes: [3007, 3008], kind: 'retry', rowCode: 'server_timeout', explain: (_f, where) =>
      `Workers AI timed out on the request (${where})` },
  { status: is(413), kind: 'row', rowCode: 'too_large', explain: (_f, where) => `The text is too large for Workers AI (${where})` },
  { codes: [3006], kind: 'row', rowCode: 'too_large', explain: (_f, where) => `The text is too large for Workers AI (${where})` },
  { status: between(400, 499), codes: BAD_INPUT_CODES, kind: 'row', rowCode: 'bad_input', explain: (_f, where) => badInputWords(where) },
  { status: between(500, 599), kind: 'retry', rowCode: (f) => `http_${f.status}`, explain: (_f, where) =>
      `Workers AI failed transiently (${where})` },
  // Conflict / too early: transient by definition (the official SDK retries 409 too).
  { status: is(409, 425), kind: 'retry', rowCode: (f) => `http_${f.status}`, explain: (_f, where) =>
      `Workers AI asked to try again (${where})` },
  // Wrong method, proxy authentication, endpoint gone, misdirected: the base URL or network setup is wrong.
  { status: is(405, 407, 410, 421), kind: 'fatal', rowCode: 'endpoint', explain: (_f, where) =>
      `The base URL does not serve the Workers AI run endpoint (${where}): check the base URL` },
  // undici does not follow redirects: a 3xx means the base URL points at the wrong address.
  { status: between(300, 399), kind: 'fatal', rowCode: 'endpoint', explain: (f, where) =>
      `The base URL answered with a redirect (${where}${f.location ? `, to ${f.location}` : ''}): set the base URL to the final address` },
  // Any other 4xx is about this request: fail the row, keep going (--max-errors catches a systematic cause). Not retried
  // now (the official SDK does not retry them either), but not final: the documentation does not say the text is at fault,
  // and a gateway's or proxy's passing 400 must not leave rows failed for good. The next run tries them again.
  { status: between(400, 499), kind: 'row', unsure: true, rowCode: codeOrStatus, explain: (_f, where) => `Workers AI rejected the request (${where})` },
  // Anything else (1xx, odd statuses): treat as a transient glitch.
  { kind: 'retry', rowCode: (f) => `http_${f.status}`, explain: (_f, where) => `Workers AI gave an unexpected answer (${where})` },
];

/** Classifies a non-2xx answer from the service (the table above). */
export function classifyHttpFailure(failure: HttpFailure): ScoringError {
  const envelope = parseErrorEnvelope(failure.body);
  const headers = failure.headers ?? {};
  const facts: Facts = {
    status: failure.status,
    cfCodes: envelope.codes,
    serverMessage: envelope.message,
    model: failure.model ?? '(unknown model)',
    location: headerValue(headers, 'location'),
    names: failure.names ?? DEFAULT_CREDENTIAL_NAMES,
    baseUrl: failure.baseUrl,
  };
  for (const rule of RULES) {
    if (rule.status && !rule.status(facts.status)) continue;
    const code = rule.codes ? facts.cfCodes.find((c) => rule.codes!.includes(c)) : facts.cfCodes[0];
    if (rule.codes && code === undefined) continue;
    const where = `HTTP ${facts.status}${code !== undefined ? `, code ${code}` : ''}`;
    const said = facts.serverMessage ? `; the service said: ${facts.serverMessage}` : '';
    const rowCode = typeof rule.rowCode === 'string' ? rule.rowCode : rule.rowCode(facts, code);
    return new ScoringError(rule.kind, rowCode, rule.explain(facts, where) + said, {
      status: facts.status,
      ...(code !== undefined ? { cfCode: code } : {}),
      ...(rule.unsure ? { unsure: true } : {}),
      ...optionalRetryAfter(parseRetryAfterMs(headers, Date.now(), facts.status)),
    });
  }
  // Unreachable: the last rule matches everything.
  throw new Error(`no classification rule for HTTP ${failure.status}`);
}

/**
 * The server-requested wait in ms: `retry-after-ms` (ms), else `retry-after`
 * (seconds or an HTTP date), else on a 429 the IETF `RateLimit` header's reset
 * (`t=` / `reset=`) or `ratelimit-reset`. Undefined when absent or unreadable.
 */
export function parseRetryAfterMs(
  headers: Record<string, string | string[] | undefined>,
  nowMs: number = Date.now(),
  status?: number,
): number | undefined {
  // A wait that ends past the last date JavaScript holds (year 275760) names no time to come back: unreadable. Read as
  // a wait, the pause's "run the same command again after <date>" threw RangeError, ending the run exit 1.
  const readable = (wait: number): boolean => Number.isFinite(wait) && wait >= 0 && Number.isFinite(new Date(nowMs + wait).getTime());
  const ms = Number(headerValue(headers, 'retry-after-ms'));
  if (headerValue(headers, 'retry-after-ms') !== undefined && readable(ms)) return ms;

  const retryAfter = headerValue(headers, 'retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter) && readable(Number(retryAfter) * 1000)) return Number(retryAfter) * 1000;
    // An HTTP date has a weekday and a month name; Date.parse alone would read "-3" as a year.
    const date = /[A-Za-z]{3}/.test(retryAfter) ? Date.parse(retryAfter) : Number.NaN;
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }

  if (status !== 429) return undefined;
  const reset =
    headerValue(headers, 'ratelimit')?.match(/(?:^|[;,\s])(?:t|reset)=(\d+)/)?.[1] ?? headerValue(headers, 'ratelimit-reset');
  if (reset !== undefined && /^\s*\d+\s*$/.test(reset) && readable(Number(reset) * 1000)) return Number(reset) * 1000;
  return undefined;
}

/** The `errors` codes and first message of a Cloudflare failure envelope; tolerant of any body. */
export function parseErrorEnvelope(body: string | undefined): { codes: number[]; message: string | undefined } {
  if (!body) return { codes: [], message: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Not JSON (an HTML error page from a proxy, a cut-off body): keep a short, single-line excerpt.
    const excerpt = body.replace(/\s+/g, ' ').trim();
    return { codes: [], message: excerpt ? shownWithin(excerpt, 160) : undefined };
  }
  const errors = isPlainObject(parsed) && Array.isArray(parsed.errors) ? parsed.errors : [];
  const codes: number[] = [];
  let message: string | undefined;
  for (const entry of errors) {
    if (!isPlainObject(entry)) continue;
    const code = typeof entry.code === 'string' && /^\d+$/.test(entry.code) ? Number(entry.code) : entry.code;
    if (typeof code === 'number' && Number.isInteger(code)) codes.push(code);
    if (message === undefined && typeof entry.message === 'string' && entry.message.trim()) {
      message = shownWithin(entry.message.replace(/\s+/g, ' ').trim(), 300);
    }
  }
  return { codes, message };
}

/** A failure as the writer records it on the row: stable code, one-line message. */
export function describeFailure(error: ScoringError): RowFailure {
  const failure: RowFailure = { code: error.rowCode, message: shownWithin(error.message.replace(/\s+/g, ' ').trim(), 500) };
  // A retryable failure that ran out of attempts (see retry.ts giveUp), or a refusal not known to be the text's fault,
  // says nothing about the text.
  if (error.kind === 'retry' || error.unsure || (error.cause instanceof ScoringError && error.cause.kind === 'retry')) failure.transient = true;
  // Which 429 a row gave up on: the summary names it (code 3021 is the per-minute limit; a 429 without one may be anything's).
  if (error.rowCode === 'rate_limited' && error.cfCode !== undefined) failure.serviceCode = error.cfCode;
  return failure;
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function optionalRetryAfter(ms: number | undefined): { retryAfterMs?: number } {
  return ms === undefined ? {} : { retryAfterMs: ms };
}
