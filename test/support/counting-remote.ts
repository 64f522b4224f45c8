import { Writable } from 'node:stream';
import { DEFAULTS, type JobSettings } from '../../src/config/options.js';
import { ScoringError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { toScores, type Scorer } from '../../src/scoring/scorer.js';
import { testScores } from './test-scorer.js';

/** A logger that writes nowhere, for jobs whose log the test does not read. */
export const quiet = () => createLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));

/** A remote scorer counting its requests: texts `failing` picks fail with a 500; `onCall(n)` runs before the n-th request. */
export function remoteScorer(failing: (text: string) => boolean, sent: { count: number }, onCall: (n: number) => void = () => {}): Scorer {
  return {
    modelId: 'workers-ai:test',
    endpoint: 'http://127.0.0.1:9/test',
    remote: true,
    score: async (text: string) => {
      sent.count += 1;
      onCall(sent.count);
      if (failing(text)) throw new ScoringError('retry', 'http_500', 'server error', { status: 500 });
      return toScores(0.7, 0.3);
    },
    close: async () => {},
  };
}

/** remoteScorer, but scoring each text by its words (test-scorer.ts): a row given another text's answer shows in the output's bytes. */
export function wordScorer(sent: { count: number }, failing: (text: string) => boolean = () => false): Scorer {
  const counting = remoteScorer(failing, sent);
  return { ...counting, score: async (text) => (await counting.score(text), testScores(text)) };
}

/** A local scorer (no request, nothing paid) counting its answers; `onCall(n)` runs before the n-th. */
export function localScorer(scored: { count: number }, onCall: (n: number) => void = () => {}): Scorer {
  return {
    modelId: 'test:fixed',
    remote: false,
    score: async () => {
      scored.count += 1;
      onCall(scored.count);
      return toScores(0.7, 0.3);
    },
    close: async () => {},
  };
}

/**
 * The settings of a job scoring `input` into `output` with that remote scorer: one attempt, so a 500 leaves its row
 * failed at once; no progress line; an rpm the limiter never waits for (these jobs send at most a few thousand requests).
 */
export const remoteSettings = (input: string, output: string): JobSettings => ({ ...DEFAULTS, input, output, backend: 'workers-ai', progress: 'off', maxAttempts: 1, rpm: 100_000 });
