/**
 * The first `max` UTF-16 units of a text, one fewer when a surrogate pair (an emoji, a rare Han character) spans the
 * cut: `text.slice(0, max)` left its first half alone, which a terminal or a page shows as U+FFFD and JSON writes as
 * `\ud83d`, a string Python's json.loads reads and print() refuses.
 */
export function startWithin(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** The start of a text a message shows, at most `max` UTF-16 units (startWithin) and `…` after it when cut. */
export function shownStart(text: string, max: number): string {
  return text.length <= max ? text : `${startWithin(text, max)}…`;
}

/** The start of a text a message shows within `max` UTF-16 units, the `…` after it counted among them (shownStart). */
export function shownWithin(text: string, max: number): string {
  return text.length <= max ? text : shownStart(text, max - 1);
}
