/**
 * Several text columns or fields (an app-store export's `title` and `review`,
 * Booking's `Positive_Review` and `Negative_Review`) become the one text sent to
 * the model: the non-blank values, in the order named, joined by a line break.
 * A line break is white space to DistilBERT's tokenizer (no token added) and ends
 * a sentence for the embedded model, which is what a title is.
 */
export const TEXT_PART_SEPARATOR = '\n';

/** The text to score from the values of the named columns/fields. One value is used exactly as it is. */
export function joinTextParts(parts: readonly string[]): string {
  if (parts.length === 1) return parts[0]!;
  return parts.filter((part) => part.trim() !== '').join(TEXT_PART_SEPARATOR);
}

/**
 * How the text is chosen, as the checkpoint records it: the name itself for one
 * (as before several were possible, so older checkpoints still match), else the
 * names and the separator, so another choice or order starts over.
 */
export function describeTextChoice(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : JSON.stringify({ join: names, separator: TEXT_PART_SEPARATOR });
}

/** One name or several, as readers are given them. */
export function asNames(names: string | readonly string[]): readonly string[] {
  return typeof names === 'string' ? [names] : names;
}

/** The two flags that name the text. They set one setting: either names a CSV column or a JSONL field. */
export type TextFlag = '--text-column' | '--text-field';

/**
 * Whether the text was named, as the messages about it say it: false for the default `text`, which nobody typed;
 * the flag that named it (`--text-field review` on a CSV names its column, and the message names the flag typed);
 * true when it was named otherwise (the run's checkpoint), said with the format's flag.
 */
export type TextNamed = boolean | TextFlag;

/** The flag a message about the text names: the one that named it, else the format's. */
export function textFlag(named: TextNamed, jsonl: boolean): TextFlag {
  return typeof named === 'string' ? named : jsonl ? '--text-field' : '--text-column';
}
