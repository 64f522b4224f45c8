import { isPlainObject } from '../io/dotted-path.js';
import { shownStart } from '../wording/shown-start.js';
import { count, escapeHtml } from './html-text.js';

/**
 * Why rows were not scored, as score wrote it in each row's error cell (`http_500: Workers AI failed transiently …`)
 * or field (`{"error": {"code", "message"}}`): the page names, for each code, its first row and that reason, so the
 * reader learns whether running again helps (the service failed) or not (the text is too long) without opening the
 * file. One message a code is kept, cut, so a file of made-up messages cannot fill memory.
 */
const WHY_CHARS = 300;

/** The first row of a code and the reason written there (null: the cell held the code only). */
export interface NotScoredWhy {
  firstRow: number;
  message: string | null;
}

/** The reason after the code in a CSV error cell: `code: reason`. */
export function csvErrorMessage(cell: string | undefined): string | undefined {
  const colon = cell?.indexOf(':') ?? -1;
  const message = colon === -1 ? '' : cell!.slice(colon + 1).trim();
  return message === '' ? undefined : message;
}

/** The reason of a JSONL record's sentiment field: its `error.message`. */
export function jsonlErrorMessage(sentiment: unknown): string | undefined {
  const error = isPlainObject(sentiment) ? sentiment['error'] : undefined;
  const message = isPlainObject(error) && typeof error['message'] === 'string' ? error['message'].trim() : '';
  return message === '' ? undefined : message;
}

/** The message as kept: cut to WHY_CHARS (never inside an emoji). */
export function keptWhy(message: string | undefined): string | null {
  return message === undefined ? null : shownStart(message, WHY_CHARS);
}

/** One line per failed, then skipped, code: its rows, its first row and the reason written there. */
export function notScoredHtml(
  notScored: Record<string, NotScoredWhy> | undefined,
  byKind: { failed: Record<string, number>; skipped: Record<string, number> },
): string {
  if (notScored === undefined) return '';
  const lines = (['failed', 'skipped'] as const).flatMap((kind) =>
    Object.entries(byKind[kind]).flatMap(([code, rows]) => {
      const why = notScored[code];
      if (why === undefined) return [];
      const first = rows === 1 ? `row ${count(why.firstRow)}` : `${count(rows)} rows, the first: row ${count(why.firstRow)}`;
      const message = why.message === null ? '' : `: <span dir="auto">${escapeHtml(why.message)}</span>`;
      return [`<li class="${kind}"><b>${escapeHtml(code)}</b> (${kind}, ${first})${message}</li>`];
    }),
  );
  if (lines.length === 0) return '';
  return `<ul class="why">${lines.join('\n')}</ul>`;
}
