/**
 * The Workers AI–compatible local server (`sentiment-batch serve`).
 * See docs/server.md for behaviour, flags, fault injection and the control endpoints.
 */
export { startServer, type RunningServer } from './server.js';
export { type ServerOptions, DEFAULT_MAX_BODY_BYTES } from './options.js';
export {
  parseFaultOptions,
  parseLatency,
  resolveFaults,
  type AnswerSpec,
  type FaultOptions,
  type FaultRule,
  type LatencyRange,
  type ResolvedFaults,
} from './fault-config.js';
export { type ServerStats, type AccountStats, type MinuteBucket, type Outcome } from './stats.js';
export { MODEL_ID, CfCode, type LabelScore } from './envelope.js';
export { approximateTokenCount, MAX_INPUT_TOKENS } from './tokens.js';
export { NEURONS_PER_TOKEN, RATE_WINDOW_MS, neuronsForTokens } from './limits.js';
export { parseServeArgs, runServe, serveHelp, type ServeCliOptions } from './serve-command.js';
