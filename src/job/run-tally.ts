import type { InputRecord, Outcome } from '../io/record.js';
import { neuronsFor, roundNeurons } from '../scoring/pricing.js';
import { isNumberOnly, NumberOnlyCount, type NumberOnlyRows } from '../scoring/number-only-text.js';

/**
 * What this run (this process) did, beyond the job totals the checkpoint
 * carries: answers per label, failures per code, and the requests that were
 * answered, whose tokens are what the service bills — retries that failed
 * also sent tokens (counted in the totals), but `estimate` cannot foresee
 * them, so the two are kept apart for the summary.
 */
export class RunTally {
  readonly labels: Record<string, number> = {};
  readonly failuresByCode: Record<string, number> = {};
  readonly skippedByCode: Record<string, number> = {};
  /** The codes the last 429 of the rows that gave up on them carried ('none' without one), for the summary's line about them. */
  readonly rateLimitedCodes = new Set<string>();
  answeredRequests = 0;
  /** Rows answered by the request an earlier run sent for them, its answer kept in the journal (not among answeredRequests). */
  answeredEarlier = 0;
  /** Rows skipped for no text because a JSONL text field is left out of them (InputRecord.textLeftOut). */
  leftOutRows = 0;
  /** Rows skipped for no text because every field of the CSV row is empty (InputRecord.blankRow). */
  blankRows = 0;
  /** Scored rows whose text is only a number (scoring/number-only-text.ts): their scores say nothing of sentiment. */
  readonly numberOnly = new NumberOnlyCount();
  billableTokens = 0;
  billableNeurons = 0;

  /** Called once per record written. */
  written(record: InputRecord, outcome: Outcome): void {
    if (record.passThrough) return;
    // Counted as written, not as answered: a run that stops again before their turn leaves them to the next one.
    if (outcome.kind !== 'skipped' && outcome.earlier) this.answeredEarlier += 1;
    if (outcome.kind === 'scored') {
      bump(this.labels, outcome.label);
      if (record.text.ok && isNumberOnly(record.text.value)) this.numberOnly.add(record.index + 1);
    }
    else if (outcome.kind === 'failed') {
      bump(this.failuresByCode, outcome.failure.code);
      if (outcome.failure.code === 'rate_limited') this.rateLimitedCodes.add(String(outcome.failure.serviceCode ?? 'none'));
    }
    else {
      bump(this.skippedByCode, outcome.failure.code);
      if (record.textLeftOut) this.leftOutRows += 1;
      if (record.blankRow) this.blankRows += 1;
    }
  }

  /** Called once per request answered by the service (not for cached or duplicate rows). */
  answered(tokens: number): void {
    this.answeredRequests += 1;
    this.billableTokens += tokens;
    // Rounded as the totals' sum is (roundNeurons): a running float sum said 0.11012399999999999 beside their 0.110124.
    this.billableNeurons = roundNeurons(this.billableNeurons + neuronsFor(tokens));
  }

  snapshot(): RunFigures {
    return {
      ...this.rowFigures(),
      answeredRequests: this.answeredRequests,
      billableTokens: this.billableTokens,
      billableNeurons: this.billableNeurons,
    };
  }

  /** The figures counted per row written (not per request): a checkpoint holds them with the rows (saved-figures.ts). */
  rowFigures(): RowFigures {
    const numberOnly = this.numberOnly.figures();
    return {
      labels: { ...this.labels },
      failuresByCode: { ...this.failuresByCode },
      skippedByCode: { ...this.skippedByCode },
      ...(this.rateLimitedCodes.size > 0 ? { rateLimitedCodes: [...this.rateLimitedCodes].sort() } : {}),
      ...(this.answeredEarlier > 0 ? { answeredEarlier: this.answeredEarlier } : {}),
      ...(this.leftOutRows > 0 ? { leftOutRows: this.leftOutRows } : {}),
      ...(this.blankRows > 0 ? { blankRows: this.blankRows } : {}),
      ...(numberOnly !== undefined ? { numberOnly } : {}),
    };
  }
}

export interface RunFigures {
  labels: Record<string, number>;
  failuresByCode: Record<string, number>;
  skippedByCode: Record<string, number>;
  /** The Cloudflare codes of the 429s that rows of `rate_limited` gave up on ('none': a 429 without one); absent when none did. */
  rateLimitedCodes?: string[];
  answeredRequests: number;
  /**
   * Rows answered by the request an earlier run sent for them before it stopped (its answer kept in the journal): scored
   * (or refused) by this run without a request, neither cache hits nor duplicates. Absent when none.
   */
  answeredEarlier?: number;
  /**
   * Rows skipped as `empty_text` because a JSONL text field is left out of them, not null or blank (an export that
   * leaves out a NULL, preflight/left-out-fields.ts; or a field renamed further on). Absent when none.
   */
  leftOutRows?: number;
  /**
   * Rows skipped as `empty_text` because every field of the CSV/TSV row is empty (`,,,,`: a spreadsheet's rows kept after
   * its last review), written back as read. Absent when none.
   */
  blankRows?: number;
  /** Scored rows whose text is only a number (`3`, `4.5`), and the first of them (1-based data row). Absent when none. */
  numberOnly?: NumberOnlyRows;
  billableTokens: number;
  billableNeurons: number;
}

/** The run's figures counted per row written: answers per label, failures and skips per code, rows answered earlier. */
export type RowFigures = Pick<RunFigures, 'labels' | 'failuresByCode' | 'skippedByCode' | 'rateLimitedCodes' | 'answeredEarlier' | 'leftOutRows' | 'blankRows' | 'numberOnly'>;

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
