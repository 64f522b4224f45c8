import { SentimentBatchError } from '../errors.js';

export type StopReason =
  | { kind: 'pause'; error: SentimentBatchError }
  | { kind: 'fatal'; error: SentimentBatchError }
  | { kind: 'too_many_errors'; error: SentimentBatchError }
  /**
   * A budget used up on a service that looks down (run-budget.ts): the run ends as a pause does (the requests in flight
   * get their grace period, what they answer is written, the checkpoint stands where the output ends), but it is a
   * failure, exit 5, as the error guard's stop for the same outage is: a 75 is "try later", which schedulers take for
   * success, and a night of the service down then alerted nobody.
   */
  | { kind: 'outage'; error: SentimentBatchError }
  | { kind: 'interrupt'; signal: string }
  /**
   * A fault of the run's own work (a write the machine refused, an input it can no longer read): unlike a fatal answer,
   * it leaves the requests in flight their grace period (see `fault`).
   */
  | { kind: 'fault'; error: unknown };

/**
 * The one place a run is told to stop. Intake checks `requested` before each
 * record; rows waiting (for a rate slot, a retry's backoff or Retry-After)
 * watch `waitingSignal`, which aborts as soon as a stop is asked for; in-flight
 * attempts watch `signal`, which aborts at once for a fatal error and after
 * the grace period for the other reasons.
 */
export class StopController {
  private current: StopReason | undefined;
  private readonly controller = new AbortController();
  private readonly waitingController = new AbortController();
  private listeners: Array<(reason: StopReason) => void> = [];
  /**
   * True while the run waits for another run's output lock (job/run.ts): a signal then has no request in
   * flight and no checkpoint to save, and the line logged for it must not say it has.
   */
  waitingForLock = false;
  /**
   * True until the job's setup is over (setup-stop.ts setupDone): a signal meanwhile finds nothing sent or written, no
   * checkpoint to save (the run ends there), and the line logged for it must not say otherwise.
   */
  settingUp = true;
  /**
   * True while a setup step that waits on something outside runs (setup-stop.ts setupStep: the Redis behind --redis, or
   * the read of a copied input's consumed bytes, same-input.ts, or the import of a dropped job's answers, kept-answers.ts,
   * which come once `settingUp` is over): a signal then ends it and the run there, even for a completed output's rerun,
   * and its line must say so.
   */
  waitingInSetup = false;
  /**
   * True while the rerun of a completed job checks it (its checkpoint, its list of failed rows) before sending anything
   * (completed-rerun.ts): a signal then has nothing in flight and no checkpoint to save (the output and its checkpoint
   * stay as they were; a job already done is said so, exit 0), and the line logged for it must not say otherwise.
   */
  checkingCompleted = false;
  /**
   * The answer store (<output>.answers) while a dropped job's answers are put in it before a start-over (kept-answers.ts,
   * a setup step a signal ends): nothing is sent, but the store may already hold some of them, which stay for the next
   * run. The signal's line said "nothing has been sent or written" there. Undefined otherwise.
   */
  keepingAnswersIn: string | undefined = undefined;
  /** The job whose answers are being kept is a completed one (its output, not a partial output, is read): the line says so. */
  keepingCompleted = false;
  /**
   * Of that completed job, only the answers its journal holds are kept (a completed job of another input: kept-answers.ts
   * keepJournalAnswers reads no output): the line said "the answers of the completed job's output are being kept".
   */
  keepingJournal = false;
  /**
   * The job's output is complete at its path (a rerun mending it, or a run's mend of earlier failures once it completed
   * the output): the summary a second signal leaves says so (`outputComplete`), as a stopped mend's own summary does.
   */
  outputComplete = false;
  /**
   * True while the run completes its output, every row written (run.ts, complete-output.ts): a signal then stops
   * nothing of it (the output is sealed and renamed all the same, `Done`), and its line said the run was finishing its
   * requests and saving a checkpoint.
   */
  sealing = false;
  /**
   * True while a completed job whose export grew is made a paused one (grown-input.ts pauseGrownJob: its output copied
   * to the partial output, then its checkpoint): a signal is acted on once that is done, with nothing sent, and its line
   * said the run was "finishing requests in flight".
   */
  copyingGrown = false;
  /**
   * The run's scorer is a paid service (Workers AI): the stop lines speak of its requests in flight, a second signal's of
   * them paid again; an offline model's (embedded, --backend local) of the rows being scored (signal-line.ts).
   */
  paidRequests = false;

  get reason(): StopReason | undefined {
    return this.current;
  }

  get requested(): boolean {
    return this.current !== undefined;
  }

  /** Aborts in-flight attempts (their rows are left for the next run). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts when any stop is asked for: rows not yet sent are dropped at once (the next run scores them). */
  get waitingSignal(): AbortSignal {
    return this.waitingController.signal;
  }

  /** The first reason wins; a fatal error still aborts in-flight work at once. */
  request(reason: StopReason): void {
    if (reason.kind === 'fatal') this.abortInFlight();
    if (this.current) return;
    this.current = reason;
    this.waitingController.abort(new Error('stopping'));
    for (const listener of this.listeners) listener(reason);
  }

  /**
   * A signal that came while the run was still setting up (the model, the tokenizer, the result cache: seconds on a
   * loaded machine or a container held to a fraction of a CPU) ends it there, before anything is written, instead of
   * after the rest of the setup: `docker stop -t 2` used to find it still loading and SIGKILL it (137, no summary, the
   * lock left for the next container to wait out). Thrown as a signal before the job began is reported: exit 130.
   * Called through stopInSetup (setup-stop.ts), which leaves a completed job's rerun to report its stop itself, and when
   * a stop cut short a setup step that waits (setupStep: the Redis behind --redis) or the copy of standard input (stdin.ts).
   */
  throwIfInterrupted(): void {
    if (this.current?.kind === 'interrupt') throw new SentimentBatchError('interrupted', `stopped by ${this.current.signal} before any work began`);
  }

  abortInFlight(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new Error('stopping'));
  }

  /**
   * A fault of the run's own work ends it (a pass over rows that throws it, a journal write the scorer met): nothing
   * more is sent (rows queued behind a rate slot, a backoff or the outage hold are dropped), and the requests already
   * sent get the grace period, as after a signal. Their answers are journaled when the machine takes them (paid for: not
   * sent again), and the figures the fault's summary reports count every request the service was sent (a mend's full
   * disk counted 357 of the 368 the service received: the rows it had queued went on sending while the process ended).
   */
  fault(error: unknown): void {
    this.request({ kind: 'fault', error });
  }

  /**
   * For the span of a pass over rows: in-flight attempts are aborted `graceMs` after a stop is asked for (at once for a
   * fatal one), also when it was asked for before the pass began. Returns what ends the span (its timer and listener).
   */
  graceAfterStop(graceMs: number): () => void {
    let timer: NodeJS.Timeout | undefined;
    const start = (): void => {
      timer ??= setTimeout(() => this.abortInFlight(), graceMs);
    };
    if (this.requested) start();
    this.listeners.push(start);
    return () => {
      clearTimeout(timer);
      this.listeners = this.listeners.filter((listener) => listener !== start);
    };
  }
}
