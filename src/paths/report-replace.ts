import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { SettingWords } from '../config/setting-names.js';
import { GENERATOR_META } from '../report/generator-mark.js';
import { readFileSync, statSync } from 'node:fs';
import { fileEnds } from './file-ends.js';
import { statOrUndefined } from './same-file.js';

/** The head and the end of a report hold what identifies it: its first 4 KiB, its last 4 KiB. */
const ENDS_BYTES = 4096;
/** A JSON report holds figures and a few example texts: one larger than this is read no further (refused as data). */
const MAX_JSON_REPORT_BYTES = 16 * 1024 * 1024;

/**
 * Refuses, before any work, a `report -o` (or `score --report`, a job file's "report") naming a regular file that is
 * neither empty nor an earlier report: `report out.csv -o notes.html` replaced the user's page whole, exit 0. A
 * symbolic link is judged by its target, as -o's (output-target.ts).
 */
export function refuseReplacingNonReport(named: Pick<SettingWords, 'head'>, given: string, instead: string): void {
  const absolute = path.resolve(given);
  const stats = statOrUndefined(absolute);
  if (!stats?.isFile() || stats.size === 0 || earlierReport(absolute) !== false) return;
  throw new ConfigError(`${named.head} is a file that is not an earlier report (${stats.size} bytes): it would be replaced whole; ${instead}, or delete or move that file first`);
}

/**
 * A report this command wrote: JSON beginning with `"tool": "sentiment-batch", "report": N` (figures.ts), a page with
 * GENERATOR_META in its head, or a page written before that mark: its title at the head and its footer at the end.
 */
export function earlierReport(file: string): boolean | undefined {
  const ends = fileEnds(file, ENDS_BYTES);
  // Not readable by this user: nothing is known of it (the write meets the refusal, as before).
  if (ends === undefined) return undefined;
  // An editor that saves "UTF-8 with BOM" (Notepad) puts one before the page or the JSON: it is still ours, known as
  // below (a page written before GENERATOR_META, by its title and footer, was refused for it, exit 2).
  const head = ends.head.toString('utf8').replace(/^\uFEFF/, '');
  if (/^\{\s*"tool":\s*"sentiment-batch",\s*"report":\s*\d+,/.test(head) || head.includes(GENERATOR_META)) return true;
  // JSON saved again by a tool that sorts keys (`jq -S`, Python's sort_keys) or reindents it: its "tool" and "report" read whole.
  if (/^\s*\{/.test(head)) return jsonReport(file);
  return /^<!doctype html>\r?\n[\s\S]*\n<title>Sentiment report — /.test(head) && ends.tail.toString('utf8').includes('<footer>Written by sentiment-batch report.');
}

/** A JSON object whose "tool" is sentiment-batch and whose "report" is a number, wherever its keys are. */
function jsonReport(file: string): boolean {
  try {
    if (statSync(file).size > MAX_JSON_REPORT_BYTES) return false;
    const data: unknown = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
    const { tool, report } = data as Record<string, unknown>;
    return tool === 'sentiment-batch' && typeof report === 'number';
  } catch {
    return false;
  }
}
