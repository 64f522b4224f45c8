import type { OutputSettings } from '../state/checkpoint.js';
import { shownLimit } from './limit-change.js';

/**
 * Which of the settings that shape the output differ between a checkpoint and this run, for the start-over line. It
 * listed all ten it could be ("format, delimiter, … record limit"), so a job that started over after `--limit 5`
 * then none, or `--text-column review` then `body`, left the user to guess which one. Values a user typed are shown;
 * the address serving the model is only named (a base URL may carry a user name or a key in its query).
 */
export function settingsChange(before: OutputSettings, now: OutputSettings, limitNote = ''): string {
  const changes: string[] = [];
  const say = (name: string, was: string, is: string) => {
    if (was !== is) changes.push(`${name}: ${was} then, ${is} now`);
  };
  say('format', before.format, now.format);
  say('delimiter', quoted(before.delimiter), quoted(now.delimiter));
  say('escape', before.escape ?? 'quote', now.escape ?? 'quote');
  say('quote', before.quote === 'none' ? 'none' : `'"'`, now.quote === 'none' ? 'none' : `'"'`);
  say('decimal mark', before.decimal ?? 'point', now.decimal ?? 'point');
  // A JSONL job's text is a field (--text-field), a CSV/TSV job's a column: named as the user named it.
  say(now.format === 'jsonl' && before.format === 'jsonl' ? 'text field' : 'text column', textChoice(before.text), textChoice(now.text));
  say('prefix', quoted(before.prefix), quoted(now.prefix));
  say('model', before.modelId, now.modelId);
  // Another model names its own service (workers-ai:… then, embedded:… now); the address alone is said when only it changed.
  if (before.modelId === now.modelId && (before.endpoint ?? '') !== (now.endpoint ?? '')) changes.push('the address serving the model');
  say('long-text policy', before.longText, now.longText);
  // `limitNote`: why a paused job under another limit is not continued (limit-change.ts belowRecordsDone).
  if (before.limit !== now.limit) changes.push(`record limit: ${shownLimit(before.limit)} then, ${shownLimit(now.limit)} now${limitNote}`);
  return changes.join('; ');
}

function quoted(value: string): string {
  return `'${value === '\t' ? '\\t' : value}'`;
}

/** The text column or field as a user names it: `'review'`, or `'title' + 'review'` for columns joined. */
function textChoice(text: string): string {
  try {
    const choice = JSON.parse(text) as { join?: unknown };
    if (Array.isArray(choice.join)) return choice.join.map((name) => quoted(String(name))).join(' + ');
  } catch {
    // A single name is recorded as it is.
  }
  return quoted(text);
}
