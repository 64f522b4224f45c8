import type { Outcome } from '../io/record.js';
import { groupedNumber } from '../wording/grouped-number.js';

/**
 * Follows the rows sent to the model for one way of failing (`causeOf`: the row's cause, or undefined for any other
 * outcome): the last cause while every row since the last other outcome failed that way, and how many did. The stops
 * that say "the service could not be reached" (unreachable.ts) and "the answers are not the model's"
 * (foreign-answers.ts) each keep one.
 */
export class FailureStreak {
  private cause: string | undefined;
  private streak = 0;
  /**
   * A row since the last answer failed transiently another way (a 500, a network error): an outage of mixed causes,
   * which a stop says as one (`unmixed`), whichever way its last row failed.
   */
  private mixed = false;

  constructor(private readonly causeOf: (outcome: Outcome) => string | undefined) {}

  /** One row that reached (or tried to reach) the model; its cause, if it failed this way. */
  add(outcome: Outcome): string | undefined {
    const cause = this.causeOf(outcome);
    this.cause = cause;
    this.streak = cause === undefined ? 0 : this.streak + 1;
    if (cause === undefined) this.mixed = outcome.kind === 'failed' && outcome.failure.transient === true;
    return cause;
  }

  /** Whether a row since the last answer failed transiently another way (the streak follows an outage of mixed causes). */
  afterOtherFailures(): boolean {
    return this.mixed;
  }

  /** `current()`, unless a row since the last answer failed transiently another way. */
  unmixed(): { cause: string; rows: string } | undefined {
    return this.mixed ? undefined : this.current();
  }

  /** While the streak holds: its last cause, and its rows as a stop says them ("the last row", "the last 50 rows"). */
  current(): { cause: string; rows: string } | undefined {
    if (this.cause === undefined) return undefined;
    return { cause: this.cause, rows: this.streak === 1 ? 'the last row' : `the last ${groupedNumber(this.streak)} rows` };
  }
}
