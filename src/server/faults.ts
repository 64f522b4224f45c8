/**
 * Decides, per request, which fault (if any) the server injects.
 *
 * Random decisions are drawn when a request ARRIVES, a fixed number of draws
 * per request, so the n-th request of a run gets the same decision for a given
 * seed whatever happened to the requests before it (rejected, slow, dropped).
 * Scripted answers come from a FIFO queue (one per arriving request) and from
 * rules matched on the text.
 */
import { ConfigError } from '../errors.js';
import { MAX_FORCED_ANSWERS, type AnswerSpec, type FaultRule, type ResolvedFaults } from './fault-config.js';
import { createRandom, uniformInt, type Random } from './random.js';

export type FaultKind = 'none' | 'capacity' | 'fail' | 'drop' | 'malformed' | 'truncate' | 'hang';

/** What the random fault injector decided for one request. */
export interface FaultDecision {
  kind: FaultKind;
  /** Latency to add before answering (not used for capacity errors, which are answered at once). */
  latencyMs: number;
  /** A spare uniform draw in [0, 1): picks the truncation point and framing. */
  variant: number;
}

export class FaultInjector {
  private faults: ResolvedFaults;
  private random: Random;
  private burstRemaining = 0;
  private readonly forced: AnswerSpec[] = [];

  constructor(faults: ResolvedFaults) {
    this.faults = faults;
    this.random = createRandom(faults.seed);
  }

  get settings(): ResolvedFaults {
    return this.faults;
  }

  /** Replaces all fault settings and restarts the PRNG from their seed (the forced queue is kept). */
  configure(faults: ResolvedFaults): void {
    this.faults = faults;
    this.random = createRandom(faults.seed);
    this.burstRemaining = 0;
  }

  /** Back to the first decision of the seed; drops the forced queue and any running burst. */
  restart(): void {
    this.configure(this.faults);
    this.forced.length = 0;
  }

  /** Appends scripted answers, consumed one per arriving request. */
  enqueue(answers: AnswerSpec[]): number {
    if (this.forced.length + answers.length > MAX_FORCED_ANSWERS) {
      throw new ConfigError(`the forced-answer queue holds at most ${MAX_FORCED_ANSWERS} answers; ${this.forced.length} are queued, ${answers.length} more were given`);
    }
    for (const answer of answers) this.forced.push(answer);
    return this.forced.length;
  }

  get queued(): number {
    return this.forced.length;
  }

  /** The next scripted answer, if any. Call once per arriving request. */
  takeForced(): AnswerSpec | undefined {
    return this.forced.shift();
  }

  /** The first rule matching the text, if any. */
  matchRule(text: string): FaultRule | undefined {
    return this.faults.rules.find(
      (rule) =>
        (rule.textEquals === undefined || text === rule.textEquals) &&
        (rule.textIncludes === undefined || text.includes(rule.textIncludes)),
    );
  }

  /** Draws the random decision for the next arriving request: always exactly four draws. */
  decide(): FaultDecision {
    const f = this.faults;
    const burstDraw = this.random.next();
    const outcomeDraw = this.random.next();
    const latencyDraw = this.random.next();
    const variant = this.random.next();
    const latencyMs = uniformInt(latencyDraw, Math.round(f.latency.minMs), Math.round(f.latency.maxMs));

    if (this.burstRemaining > 0) {
      this.burstRemaining -= 1;
      return { kind: 'capacity', latencyMs, variant };
    }
    if (burstDraw < f.capacityBurstRate) {
      this.burstRemaining = f.capacityBurstLength - 1;
      return { kind: 'capacity', latencyMs, variant };
    }
    // One draw over consecutive slices of [0, 1): fail | drop | malformed | truncate | hang | none.
    let edge = 0;
    const slices: Array<[FaultKind, number]> = [
      ['fail', f.failRate],
      ['drop', f.dropRate],
      ['malformed', f.malformedRate],
      ['truncate', f.truncateRate],
      ['hang', f.hangRate],
    ];
    for (const [kind, rate] of slices) {
      edge += rate;
      if (outcomeDraw < edge) return { kind, latencyMs, variant };
    }
    return { kind: 'none', latencyMs, variant };
  }
}
