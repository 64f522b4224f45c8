import { TEXT_REFUSAL_CODES } from '../scoring/classify.js';
import { isModelAnswer } from '../scoring/model-answer.js';
import { sameIdentity, type InputIdentity } from '../state/checkpoint.js';
import type { JournalAnswer } from './answer-journal.js';

/** What a journal belongs to: the checkpoint's input identity and settings hash. */
export interface JournalKey {
  settingsHash: string;
  identity: InputIdentity;
  /**
   * The identity the checkpoint recorded, when the input's file differs from it but the bytes the job read are the same
   * (a copy without its file times, the input gzipped: job/same-input.ts): a journal written under it is this job's too.
   */
  earlier?: InputIdentity;
  /**
   * The settings hash a paused job had before this run continued it under another record limit (job/limit-change.ts):
   * the header names it too (headerMatches says why).
   */
  earlierSettingsHash?: string;
}

const TOOL = 'sentiment-batch-journal';
const VERSION = 1;

/** One JSON line per entry: `{"i":index,"t":text,"s":[label,positive,negative]}` or `{"i","t","f":{code,message}}`. */
interface Line {
  i: number;
  t: string;
  s?: [string, number, number];
  f?: { code: string; message: string };
}

/**
 * The header names the input's file as this run has it (`identity`) and, when that is not the one the checkpoint
 * records (`earlier`), that one too: the checkpoint of a completed job keeps naming its file while a journal is there
 * (job/record-found-input.ts), so a mend paused again from a copy (the input gzipped in place) left a journal naming the
 * copy alone, which the next run from a third file (gunzipped back) and a new export's import of the completed job's
 * journal (job/dropped-job-rows.ts), both keyed by the checkpoint's file, did not take: its answers were paid again.
 */
export function encodeHeader(key: JournalKey, id?: string): string {
  const earlierHash = key.earlierSettingsHash !== undefined ? { earlierSettingsHash: key.earlierSettingsHash } : {};
  return `${JSON.stringify({ tool: TOOL, version: VERSION, settingsHash: key.settingsHash, ...earlierHash, identity: key.identity, ...(key.earlier !== undefined ? { earlier: key.earlier } : {}), ...(id !== undefined ? { journal: id } : {}) })}\n`;
}

/**
 * The journal's id, made at random when the file is first written and kept by every rewrite of it (answer-journal.ts):
 * a paused checkpoint records it (`journalId`), so another journal of the same input and settings put in its place
 * (another job's, as many lines) is not taken for this one (answers-journaled.ts). Undefined in an older version's.
 */
export function headerId(line: string | undefined): string | undefined {
  try {
    const id = (JSON.parse(line ?? '') as { journal?: unknown } | null)?.journal;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

export function headerMatches(line: string | undefined, key: JournalKey): boolean {
  if (!line) return false;
  try {
    const header = JSON.parse(line) as { tool?: unknown; version?: unknown; settingsHash?: unknown; earlierSettingsHash?: unknown; identity?: Partial<InputIdentity>; earlier?: Partial<InputIdentity> };
    // Fields missing from a header compare unequal (undefined is no number or hash), as they did field by field.
    // Either file the header names (encodeHeader): each held the bytes the job read.
    const named = [header.identity ?? {}, ...(typeof header.earlier === 'object' && header.earlier !== null ? [header.earlier] : [])];
    const same = (identity: InputIdentity): boolean => named.some((id) => sameIdentity(id as InputIdentity, identity));
    // Either settings hash it names too, as for the file: a paused job continued under another --limit rewrites it under
    // the new hash before its checkpoint is (job/run-pass.ts), and killed between the two, the checkpoint keeps the old
    // one: a run under a third limit (the old one its `earlierSettingsHash`) dropped the answers (review60).
    const hashes = [header.settingsHash, header.earlierSettingsHash].filter((hash) => typeof hash === 'string');
    const sameSettings = hashes.includes(key.settingsHash) || (key.earlierSettingsHash !== undefined && hashes.includes(key.earlierSettingsHash));
    return header.tool === TOOL && header.version === VERSION && sameSettings && (same(key.identity) || (key.earlier !== undefined && same(key.earlier)));
  } catch {
    return false;
  }
}

export function encodeEntry(text: string, index: number, answer: JournalAnswer): string {
  const line: Line =
    answer.kind === 'scored'
      ? { i: index, t: text, s: [answer.scores.label, answer.scores.positive, answer.scores.negative] }
      : { i: index, t: text, f: { code: answer.failure.code, message: answer.failure.message } };
  return `${JSON.stringify(line)}\n`;
}

/** An entry, or undefined for a line that is cut short or not ours. */
export function decodeEntry(text: string): { text: string; index: number; answer: JournalAnswer } | undefined {
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  // JSON but no object (`null` was read for its fields: a TypeError, exit 1): not a line of ours either.
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const line = parsed as Partial<Line>;
  if (!Number.isSafeInteger(line.i) || typeof line.t !== 'string') return undefined;
  const index = line.i as number;
  if (Array.isArray(line.s)) {
    const [label, positive, negative] = line.s;
    if ((label !== 'POSITIVE' && label !== 'NEGATIVE') || !isModelAnswer(label, positive, negative)) return undefined;
    return { text: line.t, index, answer: { kind: 'scored', scores: { label, positive, negative } } };
  }
  // Only a refusal for the text is journaled, its message on one line (describeFailure). A failure line edited by hand to
  // another code (`http_500`) was replayed as one: the row stayed failed, not listed, taken for refused and never mended.
  if (line.f && typeof line.f.code === 'string' && TEXT_REFUSAL_CODES.has(line.f.code) && typeof line.f.message === 'string' && !/[\r\n]/.test(line.f.message)) {
    return { text: line.t, index, answer: { kind: 'failed', failure: { code: line.f.code, message: line.f.message } } };
  }
  return undefined;
}
