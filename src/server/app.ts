/**
 * The model endpoint: routing, the checks the real service makes, limits,
 * scripted answers and random faults, in this order:
 *
 *   at arrival (synchronously, so arrival order decides):
 *     route (404 7000) → fault draw → method (405) → token (401 10000) → model (400 5007)
 *     → forced answer popped, or rpm (429 3021) and daily neurons (429 4006)
 *   after the body:
 *     forced answer → size (413 3006) → JSON and `text` (400 5006) → rules
 *     → 512-token window (413 3006 or truncate) → capacity burst (429 3040)
 *     → latency → 500 | drop | malformed | truncated | hang | scored 200
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../errors.js';
import type { AnswerSpec } from './fault-config.js';
import type { FaultDecision, FaultInjector } from './faults.js';
import { CfCode, dailyNeuronsMessage, defaultCodeForStatus, defaultMessage, METHOD_NOT_ALLOWED_MESSAGE, MODEL_ID, NO_ROUTE_MESSAGE, successBody } from './envelope.js';
import { parseTextInput, readBody } from './input.js';
import { neuronsForTokens, type NeuronBudget, type RateLimiter } from './limits.js';
import type { ResolvedServerOptions } from './options.js';
import { Reply, type ConnectionTracker } from './reply.js';
import type { StatsRecorder } from './stats.js';
import { MAX_INPUT_TOKENS, truncateToTokens } from './tokens.js';
import { bearerMatches } from './bearer.js';

/** The server's mutable state; `reset()` replaces stats and clears the rest. */
export interface ServerState {
  options: ResolvedServerOptions;
  faults: FaultInjector;
  limiter: RateLimiter;
  budget: NeuronBudget;
  stats: StatsRecorder;
}

export interface Runtime extends ConnectionTracker {
  /** Resolves after `ms`; never resolves if the server closes first. */
  delay(ms: number): Promise<void>;
}

const RUN_ROUTE = /^\/client\/v4\/accounts\/([^/]+)\/ai\/run\/(.+)$/;

/** Context of one request to the model endpoint. */
interface Call {
  req: IncomingMessage;
  reply: Reply;
  state: ServerState;
  runtime: Runtime;
  stats: StatsRecorder;
  account: string;
  decision: FaultDecision;
  forced: AnswerSpec | undefined;
}

export function handleApiRequest(req: IncomingMessage, res: ServerResponse, state: ServerState, runtime: Runtime): void {
  const { options, faults } = state;
  const stats = state.stats; // captured: a reset during this request does not mix it into the new stats
  const now = options.now();
  const match = RUN_ROUTE.exec((req.url ?? '/').split('?')[0] ?? '/');
  const account = match ? decode(match[1] ?? '') : undefined;
  stats.arrived(now, account);
  const reply = new Reply(req, res, stats, runtime, account);
  if (!match || account === undefined) return reply.error(404, CfCode.NoRoute, NO_ROUTE_MESSAGE);

  const decision = faults.decide();
  if (req.method !== 'POST') return reply.error(405, CfCode.MethodNotAllowed, `${METHOD_NOT_ALLOWED_MESSAGE}: ${req.method ?? '?'}; this endpoint takes POST`);
  if (options.token !== undefined && !bearerMatches(req.headers.authorization, options.token)) {
    return reply.error(401, CfCode.Auth, 'Authentication error');
  }
  const model = decode(match[2] ?? '');
  if (model !== MODEL_ID) return reply.error(400, CfCode.NoSuchModel, `No such model ${model} or task; this server serves ${MODEL_ID}`);

  const forced = faults.takeForced();
  if (!forced) {
    const admission = state.limiter.admit(account, now);
    if (!admission.ok) {
      const message = `AiError: Rate limited: more than ${options.rpm} requests in 60 s for this account; retry after ${admission.retryAfterSeconds} s`;
      return reply.error(429, CfCode.RateLimited, message, admission.retryAfterSeconds);
    }
    stats.accepted(now, account);
    if (state.budget.exhausted(account, now)) {
      return reply.error(429, CfCode.DailyNeurons, dailyNeuronsMessage(state.budget.limit ?? 0));
    }
  }
  void afterBody({ req, reply, state, runtime, stats, account, decision, forced }).catch((error: unknown) => {
    reply.error(500, CfCode.Internal, `Internal server error: ${errorMessage(error)}`);
  });
}

async function afterBody(call: Call): Promise<void> {
  const { reply, state, decision, forced } = call;
  const { options } = state;
  const read = await readBody(call.req, options.maxBodyBytes);
  if (read.kind === 'aborted') return reply.abandoned();
  const input = read.kind === 'ok' ? parseTextInput(read.body) : undefined;
  if (forced && !passesThrough(forced)) return scripted(call, forced, input?.ok ? input.text : undefined);

  if (read.kind === 'too-large') {
    return reply.error(413, CfCode.TooLarge, `AiError: Request is too large: the body is ${read.bytes} bytes, the limit is ${options.maxBodyBytes}`);
  }
  if (!input?.ok) return reply.error(400, CfCode.BadInput, input?.message ?? 'AiError: Bad input');
  let text = input.text;

  const rule = state.faults.matchRule(text);
  if (rule && !passesThrough(rule.respond)) return scripted(call, rule.respond, text);

  let tokens = options.countTokens(text);
  if (tokens > MAX_INPUT_TOKENS) {
    if (options.longText === 'reject') {
      const message = `AiError: Request is too large: the text is ${tokens} tokens, the model accepts at most ${MAX_INPUT_TOKENS}; shorten it`;
      return reply.error(413, CfCode.TooLarge, message);
    }
    text = truncateToTokens(text, MAX_INPUT_TOKENS, options.countTokens);
    tokens = options.countTokens(text);
  }

  // A scripted 200 answers normally but without random faults.
  const script = forced ?? rule?.respond;
  if (script) {
    await call.runtime.delay(script.delayMs ?? 0);
    return scoreAndAnswer(call, text, tokens);
  }
  if (decision.kind === 'capacity') return reply.error(429, CfCode.Capacity, defaultMessage(CfCode.Capacity));
  await call.runtime.delay(decision.latencyMs);
  switch (decision.kind) {
    case 'fail':
      return reply.error(500, CfCode.Internal, defaultMessage(CfCode.Internal));
    case 'drop':
      return reply.drop();
    case 'malformed':
      return reply.malformed();
    case 'hang':
      return reply.hang();
    case 'truncate': {
      const body = await scoredBody(call, text);
      return body === undefined ? undefined : reply.truncated(body, decision.variant);
    }
    default:
      return scoreAndAnswer(call, text, tokens);
  }
}

/** A scripted answer (forced queue or rule) that is not a plain 200. */
async function scripted(call: Call, spec: AnswerSpec, text: string | undefined): Promise<void> {
  const { reply } = call;
  await call.runtime.delay(spec.delayMs ?? 0);
  if (spec.drop) return reply.drop();
  if (spec.hang) return reply.hang();
  if (spec.malformed) return reply.malformed();
  if (spec.truncate) {
    // Invalid or missing text still gets a plausible body to cut.
    const body = await scoredBody(call, text ?? 'neutral');
    return body === undefined ? undefined : reply.truncated(body, call.decision.variant);
  }
  const status = spec.status ?? 500;
  const code = spec.code ?? defaultCodeForStatus(status);
  return reply.error(status, code, spec.message ?? defaultMessage(code), spec.retryAfter);
}

function passesThrough(spec: AnswerSpec): boolean {
  return spec.status === 200 && !spec.drop && !spec.hang && !spec.malformed && !spec.truncate;
}

async function scoreAndAnswer(call: Call, text: string, tokens: number): Promise<void> {
  const body = await scoredBody(call, text);
  if (body === undefined) return;
  // Only answers that reach the client whole are charged.
  const neurons = neuronsForTokens(tokens);
  call.stats.charged(call.account, tokens, neurons);
  call.state.budget.charge(call.account, neurons, call.state.options.now());
  call.reply.success(body);
}

/** The success body for `text`, or undefined after answering 500 when the scorer failed. */
async function scoredBody(call: Call, text: string): Promise<string | undefined> {
  const { options } = call.state;
  try {
    const scores = await options.scorer.score(text);
    return successBody(scores, options.resultShape, options.labelOrder);
  } catch (error) {
    call.reply.error(500, CfCode.Internal, `Internal server error: the scorer failed: ${errorMessage(error)}`);
    return undefined;
  }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
