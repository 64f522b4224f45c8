import { isDefaultText, textSetting, type TextNamed } from '../io/text-parts.js';
import { quotedNames } from './quoted-names.js';

/**
 * The text columns or fields as the subject of a line about them: the default said as one, since nobody typed it
 * ("the text column 'text' (the default)", with `nameYours` "(the default; name yours with --text-column)"); several
 * listed ("the text columns 'title', 'review'"); one by the setting that named it (`--text-column 'body'`, or the
 * job file's key), `at` the head of the line or within it (text-parts.ts' given and inline).
 */
export function textSubject(names: readonly string[], named: TextNamed, jsonl: boolean, how: { at: 'head' | 'inline'; nameYours?: boolean }): string {
  const kind = jsonl ? 'field' : 'column';
  const words = textSetting(named, jsonl);
  if (isDefaultText(named)) return `the text ${kind} ${quotedNames(names)} (the default${how.nameYours === true ? `; name yours with ${words.setting}` : ''})`;
  if (names.length > 1) return `the text ${kind}s ${quotedNames(names)}`;
  return how.at === 'head' ? words.given(names[0]!) : words.inline(names[0]!);
}
