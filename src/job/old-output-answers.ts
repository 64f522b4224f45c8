import { SentimentBatchError } from '../errors.js';
import type { Logger } from '../log.js';
import { answerKeyOf } from '../scoring/scorer.js';
import type { Checkpoint } from '../state/checkpoint.js';
import { groupedNumber } from '../wording/grouped-number.js';
import { Dedupe, dedupeKey } from './dedupe.js';
import { textSent } from './dropped-job-rows.js';
import { PartialMismatch, partialAnswers } from './partial-answers.js';
import { scoredOutcome } from './row-outcome.js';
import type { TextWindow } from './row-plan.js';
import type { Source } from './source.js';
import { TextSet } from './text-set.js';

/*
 * A completed Workers AI job continued (its export grown, or its --limit raised: grown-input.ts) scores only the rows
 * after the old ones; a new row whose text an old row holds was sent again, where a fresh run of the new file takes the
 * old row's answer (newuser18: 300 rows appended to 3,000, 216 requests for 201 distinct new texts). Before the first
 * request, the texts of the rows to score are collected (the part after the old rows, usually small), then the old
 * output is read once, streaming, and only the answers for those texts are kept: memory grows with the new part's
 * distinct texts (bounded below), never with the output. Answers are read as a start-over reads them (partial-answers.ts:
 * a row is an answer only when writing it again gives its very bytes and a model gives it; a failed row is none), of the
 * job's own model and settings (the continued job's, the same hash but for --limit).
 */

/**
 * When the read pays. It costs CPU time with the old output's size: 9.4 s of CPU for 1,000,000 rows (128 MB) at load
 * average 10, against 1.5 s for the whole continuing run without it; a request it spares costs 30 ms of the default
 * --rpm 2000 budget and a fraction of a cent. newuser18's repeats (15 of 216 new texts, 7 %) spare 2 ms of budget per new
 * text, the time to read ~30 KB of output: so an output of at most ALWAYS_READ bytes is always read, a larger one only
 * when it holds at most BYTES_PER_TEXT bytes per distinct text of the new rows (a nightly 300 rows after a million are
 * sent as before; --cache keeps answers across runs at a look-up each).
 */
const ALWAYS_READ = 8 * 1024 * 1024;
const BYTES_PER_TEXT = 32 * 1024;

/** At most this many distinct texts are looked for (the in-run dedupe remembers as many: dedupe.ts). */
const MOST_TEXTS = 100_000;

/** Texts past this many characters in all are not looked for: 100,000 texts of 4,096 characters would hold 800 MB (a longer one is held by its digest: text-set.ts). */
const MOST_CHARACTERS = 16 * 1024 * 1024;

export interface OldOutputRead {
  /** The continued job's checkpoint (made a paused one): its partial output, a copy of the old output, is what is read. */
  checkpoint: Checkpoint;
  partialPath: string;
  source: Pick<Source, 'quietRecords'>;
  window: TextWindow;
  /** This run's model and address: answers of another are none for it. */
  modelKey: string;
  log: Logger;
  /** A stop asked for: the reads end at the next row, and the run stops as it would have. */
  stopped: () => boolean;
  /** The file read, as the log line names it: "the completed job's output" (continued), or a resumed job's partial output. */
  whose?: string;
  /** Its bytes up to the checkpoint's length proven the job's by the CRC-32 the checkpoint records (partial-answers.ts `proven`). */
  proven?: boolean;
  /** When the read pays (tests give others): by default ALWAYS_READ and BYTES_PER_TEXT. */
  bounds?: { alwaysRead: number; bytesPerText: number };
}

/**
 * The old rows' answers to the texts of the rows this run scores, as earlier answers (row-scorer.ts `earlier`: such a
 * row is a duplicate, no request); undefined when there is nothing to look for or nothing found. Only a saving is at
 * stake: an old output that cannot be read as its checkpoint describes gives nothing, and those rows are sent.
 */
export async function oldOutputAnswers(read: OldOutputRead): Promise<Dedupe | undefined> {
  const { checkpoint, partialPath, window, log, stopped } = read;
  if (answerKeyOf(checkpoint.settings) !== read.modelKey || checkpoint.totals.scored === 0) return undefined;
  const texts = await newTexts(read);
  if (texts === undefined || texts.size === 0) return undefined;
  const size = checkpoint.position.outputBytes;
  const { alwaysRead, bytesPerText } = read.bounds ?? { alwaysRead: ALWAYS_READ, bytesPerText: BYTES_PER_TEXT };
  if (size > alwaysRead && size > texts.size * bytesPerText) {
    log.debug({ outputBytes: size, texts: texts.size }, 'the completed job\'s output is not read for answers to the rows appended: too large for their texts');
    return undefined;
  }
  const found = new Dedupe();
  let count = 0;
  try {
    for await (const row of partialAnswers(partialPath, checkpoint, undefined, read.proven === true)) {
      if (stopped()) return undefined;
      // Hashed once when long: the key looked up is the one remembered when the text is sent whole.
      const key = dedupeKey(row.text);
      if (!texts.delete(key)) continue;
      const sent = textSent(row, window);
      if (sent === undefined) continue;
      found.remember(sent === row.text ? key : dedupeKey(sent), scoredOutcome(row.scores, row.truncated, false));
      count += 1;
      // Every text found: the rest of the output need not be read (proven the job's before it was continued).
      if (texts.size === 0) break;
    }
  } catch (error) {
    // Proven before it was continued, so this is a file changed since: its rows are sent, as before this read.
    if (error instanceof PartialMismatch || error instanceof SentimentBatchError) {
      log.debug({ err: error }, 'the completed job\'s output could not be read for answers to the rows appended');
      return undefined;
    }
    throw error;
  }
  if (count === 0) return undefined;
  log.info({ oldAnswers: count }, `${groupedNumber(count)} ${count === 1 ? 'text' : 'texts'} of the rows to score ${count === 1 ? 'is' : 'are'} answered in ${read.whose ?? "the completed job's output"}: not sent again`);
  return found;
}

/** The distinct texts of the rows after the old ones (those a long text or the bounds leave out are simply sent). */
async function newTexts(read: OldOutputRead): Promise<TextSet | undefined> {
  const { inputOffset, nextIndex } = read.checkpoint.position;
  return (await textsToScore(read.source, inputOffset, nextIndex, read.stopped))?.texts;
}

/**
 * The distinct texts of the rows from `startOffset` (the row numbered `startIndex`) to the input's end or --limit, read
 * quietly (source.ts quietRecords); undefined when the source has no such read or a stop came. `whole`: no text was left
 * out for the bounds (MOST_TEXTS, MOST_CHARACTERS) or an unreadable record. A text over LONG_TEXT_KEY characters is held
 * by its digest (text-set.ts), as the in-run dedupe holds it, and counts its digest's characters, not its own.
 */
export async function textsToScore(source: Pick<Source, 'quietRecords'>, startOffset: number, startIndex: number, stopped: () => boolean): Promise<{ texts: TextSet; whole: boolean } | undefined> {
  const records = source.quietRecords;
  if (records === undefined) return undefined;
  const texts = new TextSet();
  let characters = 0;
  try {
    for await (const record of records(startOffset, startIndex)) {
      if (stopped()) return undefined;
      if (record.passThrough === true || !record.text.ok) continue;
      const text = record.text.value;
      if (text.trim() === '') continue;
      // One SHA-256 of a long text for the three calls (review68: has, heldLength and add each hashed it).
      const key = dedupeKey(text);
      if (texts.has(key)) continue;
      const held = TextSet.heldLength(key);
      if (texts.size >= MOST_TEXTS || characters + held > MOST_CHARACTERS) return { texts, whole: false };
      texts.add(key);
      characters += held;
    }
  } catch (error) {
    // The run's own reader meets the same bytes and says what they are; here only a saving is lost.
    if (error instanceof SentimentBatchError) return { texts, whole: false };
    throw error;
  }
  return { texts, whole: true };
}
