import type { InputRecord, Outcome } from '../io/record.js';

/** Cuts a text to the model's window and counts its tokens (the DistilBERT tokenizer). */
export interface TextWindow {
  fitToWindow(text: string): { text: string; truncated: boolean; tokens: number };
}

export type LongTextPolicy = 'truncate' | 'skip' | 'fail';

/**
 * What a remote run does with one text before any cache or duplicate look-up:
 * nothing (empty, or over the window under skip/fail), or send `text` (cut to
 * the window when truncating) at the cost of `tokens`. `score` and `estimate`
 * both decide here, which is what makes the estimate equal the run.
 */
export type RowPlan =
  | { kind: 'empty'; outcome: Outcome }
  | { kind: 'too_long'; outcome: Outcome }
  | { kind: 'send'; text: string; truncated: boolean; tokens: number };

/**
 * Nothing to score: white space, or only invisible format characters (a zero-width space, joiner, soft hyphen,
 * direction mark: Unicode's Cf), which the model's tokenizer drops, so the request would carry [CLS] [SEP] alone.
 */
export function isEmptyText(text: string): boolean {
  return text.trim() === '' || INVISIBLE_ONLY.test(text);
}

const INVISIBLE_ONLY = /^[\p{White_Space}\p{Cf}]*$/u;

export const EMPTY_TEXT_CODE = 'empty_text';

export const EMPTY_TEXT_OUTCOME: Outcome = {
  kind: 'skipped',
  failure: { code: EMPTY_TEXT_CODE, message: 'the text is empty or only white space; not sent' },
};

/**
 * A JSONL record that leaves its text field out (InputRecord.textLeftOut: an export's NULL) is skipped as any empty
 * text, but told as what it is: 'the text is empty or only white space' sent a reader looking for a blank body in a
 * record that has none.
 */
const LEFT_OUT_TEXT_OUTCOME: Outcome = {
  kind: 'skipped',
  failure: { code: EMPTY_TEXT_CODE, message: 'the record leaves the text field out (an export that leaves out a NULL writes it so); not sent' },
};

/** A JSONL record whose text field holds null (InputRecord.textNull): no text, but neither empty nor white space (newuser23). */
const NULL_TEXT_OUTCOME: Outcome = {
  kind: 'skipped',
  failure: { code: EMPTY_TEXT_CODE, message: "the text field holds null (an export's NULL: no text); not sent" },
};

/**
 * `format` with a left-out or null record's empty_text told as LEFT_OUT_TEXT_OUTCOME or NULL_TEXT_OUTCOME: one place
 * for the run and the mend alike.
 */
export function sayingLeftOut<Text>(format: (record: InputRecord, outcome: Outcome) => Text): (record: InputRecord, outcome: Outcome) => Text {
  return (record, outcome) => format(record, outcome.kind === 'skipped' && outcome.failure.code === EMPTY_TEXT_CODE ? noTextOutcome(record) ?? outcome : outcome);
}

function noTextOutcome(record: InputRecord): Outcome | undefined {
  if (record.textLeftOut === true) return LEFT_OUT_TEXT_OUTCOME;
  return record.textNull === true ? NULL_TEXT_OUTCOME : undefined;
}

/** The code of a row over the 512-token window under --long-text skip or fail. */
export const TEXT_TOO_LONG = 'text_too_long';

export function planRow(text: string, window: TextWindow | undefined, longText: LongTextPolicy): RowPlan {
  if (isEmptyText(text)) return { kind: 'empty', outcome: EMPTY_TEXT_OUTCOME };
  const fitted = window ? window.fitToWindow(text) : { text, truncated: false, tokens: 0 };
  if (fitted.truncated && longText !== 'truncate') {
    const failure = { code: TEXT_TOO_LONG, message: `the text has more than 512 tokens (--long-text ${longText})` };
    return { kind: 'too_long', outcome: longText === 'skip' ? { kind: 'skipped', failure } : { kind: 'failed', failure } };
  }
  return { kind: 'send', ...fitted };
}
