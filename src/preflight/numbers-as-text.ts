/**
 * A text column or field whose values in the first records are all numbers (a
 * rating, an id, a date, a price: `--text-column stars`, a slip of the hand or of a
 * job file) is not the reviews: each row would be scored as a review of a number,
 * 'Done', exit 0, and with Workers AI paid for. Refused at startup (exit 2), as a
 * column the header lacks is, with values it holds and the likeliest column that
 * holds text. Only when every non-blank text of the sample is made of digits and the
 * punctuation of numbers and dates: one word among them, or an emoji-only review, is text.
 * And only when the sample holds MIN_NUMBERS of them: a quiet night's export whose one
 * or two reviews read '10/10' or '5' is reviews all the same, and a scheduled job must
 * not stop on it (exit 2 every such night); a column of ratings or ids shows as soon as
 * an export has a few rows.
 * Ids are often codes, not numbers ('r001', 'B07XJ8C8F5', a UUID, an ISO timestamp): every
 * one a single word of ASCII letters and digits (with - _ . : # /), holding a digit, is
 * refused the same way ('Done', exit 0, 30 of 30 ids scored POSITIVE before). ASCII only:
 * a review in a script written without spaces ('買了3個都很好') is one word too.
 * Short reviews can be all tokens with digits ('5stars', 'gr8', 'v2.1'): --allow-numeric-text ("allowNumericText")
 * skips the check, and the refusal names it as the way past (it was exit 2 on every run, with no way on).
 */
import { ConfigError } from '../errors.js';
import { textSetting, type TextNamed } from '../io/text-parts.js';
import { textSubject } from '../wording/text-subject.js';

const NUMBER_LIKE = /^[\s\p{N}.,:;'’/\\+\-−–%$€£¥#()]*$/u;

const CODE_LIKE = /^[A-Za-z0-9][A-Za-z0-9_\-.:#/]*$/;
const HAS_DIGIT = /[0-9]/;

/** One word of ASCII letters and digits (with - _ . : # /) holding a digit: an id, a SKU, a UUID, a timestamp. */
export function isCode(text: string): boolean {
  const trimmed = text.trim();
  return CODE_LIKE.test(trimmed) && HAS_DIGIT.test(trimmed);
}

/** Number-only texts the sample must hold before the column is called not text. */
const MIN_NUMBERS = 10;

/** Values shown in the message. */
const SHOWN = 3;

export interface TextChoiceWords {
  /** 'csv' and 'tsv' say column, JSONL says field. */
  jsonl: boolean;
  names: readonly string[];
  /** False for the default `text`, which nobody typed; else the flag or job-file key that named it (text-parts.ts). */
  named: TextNamed;
  /** The rows sampled, when some of them gave no text to judge (JSONL records without the field): said beside the count. */
  sampled?: number;
  /**
   * Under --limit, the texts sampled past it (the run's own are `scored`). They never decide: a run is refused only when
   * every non-blank text it scores is a number. They confirm, when the run scores fewer than MIN_NUMBERS of them, that
   * the column holds numbers (then the check reads them with the run's; `sampled` then as `choice.sampled`): a trial run of five rows on a column of ratings
   * is refused as the whole run is, while five rows of numbers before the reviews, or no text at all within the
   * limit, is not refused over the rows after it.
   */
  past?: { texts: readonly string[]; sampled?: number };
  /**
   * The way past the refusal for a column that really is the reviews ('gr8', 'v2.1'): `run again with --allow-numeric-text`.
   * Undefined where none leads on: a JSONL field of JSON numbers, which every row would fail (text_not_string).
   */
  allow: string | undefined;
}

/** Throws when every non-blank text among `scored` (the first records' the run scores, as the job would send them) is a number or a code. */
export function refuseNumbersAsText(scored: readonly string[], choice: TextChoiceWords, likely: () => string | undefined): void {
  const own = scored.filter((text) => text.trim() !== '');
  if (own.length === 0 || !own.every((text) => NUMBER_LIKE.test(text) || isCode(text))) return;
  const past = own.length < MIN_NUMBERS ? choice.past : undefined;
  const texts = past === undefined ? scored : [...scored, ...past.texts];
  const sampled = past === undefined ? choice.sampled : past.sampled;
  const nonBlank = texts.filter((text) => text.trim() !== '');
  if (nonBlank.length < MIN_NUMBERS) return;
  const numbers = nonBlank.every((text) => NUMBER_LIKE.test(text));
  if (!numbers && !nonBlank.every((text) => NUMBER_LIKE.test(text) || isCode(text))) return;
  const kind = choice.jsonl ? 'field' : 'column';
  const words = textSetting(choice.named, choice.jsonl);
  const what = textSubject(choice.names, choice.named, choice.jsonl, { at: 'head' });
  const shown = [...new Set(nonBlank)].slice(0, SHOWN).map((text) => `'${text}'`);
  const more = new Set(nonBlank).size > SHOWN ? ', ...' : '';
  const other = likely();
  const next = other === undefined ? `name the ${kind} that holds the reviews with ${words.setting}` : `the ${kind} '${other}' holds text: ${words.use(other)}`;
  const where = sampled !== undefined && sampled > texts.length ? `the ${texts.length} of the first ${sampled} rows that have it` : `the first ${texts.length} rows`;
  throw new ConfigError(
    `${what} ${choice.names.length > 1 ? 'hold' : 'holds'} only ${numbers ? 'numbers' : 'codes (one word of letters and digits each)'} in ${where} (${shown.join(', ')}${more}): not review text (${numbers ? 'a rating, an id or a date' : 'an id, a product code or a timestamp'}?); ${next}${choice.allow === undefined ? '' : `; if these are the reviews, ${choice.allow}`}`,
  );
}
