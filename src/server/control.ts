/**
 * Control endpoints for tests, benchmarks and CI (never counted in the stats).
 * With a token set (`--token`), every one but `/__health` needs it too: they
 * can change what the server answers and show who called it.
 *   GET  /__stats            what the server saw (ServerStats)
 *   POST /__reset            clear stats, limits, the forced queue; restart the fault PRNG
 *   POST /__control/next     queue forced answers: one AnswerSpec or an array of them
 *   GET  /__control/faults   the fault settings in force
 *   POST /__control/faults   replace the fault settings (same JSON as a --faults file)
 *   GET  /__health           liveness
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError, errorMessage } from '../errors.js';
import { bearerMatches } from './bearer.js';
import { errorBody, MODEL_ID } from './envelope.js';
import { MAX_FORCED_ANSWERS, parseAnswerSpec, parseFaultOptions, type AnswerSpec, type FaultOptions, type ResolvedFaults } from './fault-config.js';
import { readBody } from './input.js';
import type { ServerStats } from './stats.js';

export interface ControlApi {
  stats(): ServerStats;
  reset(): void;
  setFaults(faults: FaultOptions): void;
  faults(): ResolvedFaults;
  enqueue(answers: AnswerSpec[]): number;
  /** Forced answers waiting. */
  queued(): number;
}

const CONTROL_BODY_LIMIT = 1024 * 1024;

export function isControlPath(url: string | undefined): boolean {
  return (url ?? '').startsWith('/__');
}

export function handleControlRequest(req: IncomingMessage, res: ServerResponse, api: ControlApi, token: string | undefined): void {
  const path = (req.url ?? '').split('?')[0];
  const route = `${req.method ?? 'GET'} ${path}`;
  if (token !== undefined && route !== 'GET /__health' && !bearerMatches(req.headers.authorization, token)) {
    // The body is not read: drain it so the connection stays usable.
    req.resume();
    return sendError(res, 401, 'Authentication error: control endpoints need Authorization: Bearer <the --token value>');
  }
  switch (route) {
    case 'GET /__stats':
      return send(res, 200, api.stats());
    case 'GET /__health':
      return send(res, 200, { ok: true, model: MODEL_ID });
    case 'GET /__control/faults':
      return send(res, 200, api.faults());
    case 'POST /__reset':
      api.reset();
      return send(res, 200, { ok: true });
    case 'POST /__control/next':
      return withJsonBody(req, res, (json) => {
        const list = Array.isArray(json) ? json : [json];
        if (list.length > MAX_FORCED_ANSWERS - api.queued()) {
          return sendError(res, 413, `The forced-answer queue holds at most ${MAX_FORCED_ANSWERS} answers; ${api.queued()} are queued, ${list.length} more were sent`);
        }
        const answers = list.map((item, i) => parseAnswerSpec(item, `/__control/next[${i}]`));
        send(res, 200, { ok: true, queued: api.enqueue(answers) });
      });
    case 'POST /__control/faults':
      return withJsonBody(req, res, (json) => {
        api.setFaults(parseFaultOptions(json, '/__control/faults'));
        send(res, 200, { ok: true, faults: api.faults() });
      });
    default:
      return sendError(res, 404, `No control endpoint ${route}; see docs/server.md`);
  }
}

function withJsonBody(req: IncomingMessage, res: ServerResponse, use: (json: unknown) => void): void {
  void readBody(req, CONTROL_BODY_LIMIT).then((read) => {
    if (read.kind === 'aborted') return;
    if (read.kind === 'too-large') return sendError(res, 413, `Control body over ${CONTROL_BODY_LIMIT} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(read.body.toString('utf8'));
    } catch {
      return sendError(res, 400, 'The control body is not valid JSON');
    }
    try {
      use(json);
    } catch (error) {
      sendError(res, error instanceof ConfigError ? 400 : 500, errorMessage(error));
    }
  });
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  const body = errorBody(status === 404 ? 7000 : status === 500 ? 3043 : status === 401 ? 10000 : status === 413 ? 3006 : 5006, message);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
