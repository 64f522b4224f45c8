/**
 * The start of a text a message shows, at most `max` UTF-16 units and `…` after it when cut. The cut never falls
 * inside a surrogate pair (an emoji, a rare Han character): `text.slice(0, 80)` left its first half alone, which the
 * terminal shows as U+FFFD and --summary-json writes as `\ud83d`, a string Python's json.loads reads and print() refuses.
 */
export function shownStart(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
