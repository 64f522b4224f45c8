import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputMatch } from '../src/job/same-input.js';
import type { Checkpoint } from '../src/state/checkpoint.js';
import { useTempDir } from './support/e2e-dir.js';

const OLD = 'id,review\n1,good\n2,bad\n';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
/** A checkpoint of a job that read `consumed`, of a file the run's is not (another identity): its bytes decide. */
function checkpointOf(consumed: string, options: { completed?: boolean; limit?: number; format?: string } = {}): Checkpoint {
  // The rows the job wrote: the consumed bytes' lines but the header.
  const rows = consumed.split('\n').length - 2;
  return {
    position: { nextIndex: rows },
    input: { path: 'in.csv', identity: { size: -1, mtimeMs: 0, headHash: 'x', tailHash: 'x' } },
    consumed: [{ end: Buffer.byteLength(consumed), sha256: sha(consumed) }],
    completed: options.completed ?? true,
    settings: { ...(options.limit !== undefined ? { limit: options.limit } : {}), ...(options.format !== undefined ? { format: options.format } : {}) },
  } as unknown as Checkpoint;
}

/**
 * Whether an input is a completed job's grown (job/same-input.ts `grown`): its consumed bytes, ending with a line
 * ending, then more. The continuation (job/grown-input.ts) rests on this answer; anything else is not growth.
 */
describe('a completed job whose input grew', () => {
  const dir = useTempDir();
  const matchOf = (name: string, content: string, gzip = false) => {
    const file = dir.file(name, gzip ? gzipSync(content) : content);
    return new InputMatch({ path: file, gzip, identity: { size: Buffer.byteLength(content), mtimeMs: 1, headHash: 'y', tailHash: 'y' } as never });
  };

  it.each([false, true])('is grown when its consumed bytes end a line and rows follow (gzip %s: the decompressed bytes)', async (gzip) => {
    const match = matchOf(gzip ? 'in.csv.gz' : 'in.csv', `${OLD}3,new\n`, gzip);
    expect(await match.grown(checkpointOf(OLD))).toBe(true);
    // Not the same bytes for "already done": the input goes on.
    expect(await match.sameBytes(checkpointOf(OLD))).toBe(false);
  });

  // It read its input to the end, as a job without a limit: grown, a fresh run writes more rows. A gzip one was taken for
  // the same bytes ("Already done", exit 0, its output short of the rows --limit asks for).
  // An exporter that writes no line ending after its last row: the next file is the consumed bytes, a line ending, then
  // rows. Whether that last row is the same record the proof tells (prove-checkpoint.ts withoutEndingAt).
  it.each([
    ['LF', false, OLD.slice(0, -1), `${OLD}3,new\n`],
    ['LF', true, OLD.slice(0, -1), `${OLD}3,new\n`],
    ['CRLF', false, 'id,review\r\n1,good\r\n2,bad', 'id,review\r\n1,good\r\n2,bad\r\n3,new\r\n'],
    ['CRLF', true, 'id,review\r\n1,good\r\n2,bad', 'id,review\r\n1,good\r\n2,bad\r\n3,new\r\n'],
    // The line ending alone: continued, its 0 rows scored (a fresh run writes the same bytes: the old ones and it).
    ['LF alone', false, OLD.slice(0, -1), OLD],
  ])('is grown when its last consumed row had no line ending and the input goes on with one (%s, gzip %s)', async (_eol, gzip, consumed, now) => {
    const match = matchOf(gzip ? 'in.csv.gz' : 'in.csv', now, gzip);
    expect(await match.grown(checkpointOf(consumed))).toBe(true);
    expect(await match.sameBytes(checkpointOf(consumed))).toBe(false);
  });

  // A CRLF export cut between the CR and the LF of its last row: the next night's file is the same bytes, the LF, then the
  // new rows. It was scored afresh ("the bytes the job read differ", 4,085 requests for 1,086 new rows); whether that
  // row, read ending in the lone CR, is the same record the proof tells (withoutEndingAt keeps its CR).
  it.each([
    [false, `${OLD.slice(0, -1)}\r`, `${OLD.slice(0, -1)}\r\n3,new\r\n`, false],
    [true, `${OLD.slice(0, -1)}\r`, `${OLD.slice(0, -1)}\r\n3,new\r\n`, false],
    [false, `${OLD.slice(0, -1)}\r`, `${OLD.slice(0, -1)}\r\n`, true],
  ])('is grown when its last consumed row ended with a lone CR and the input goes on with an LF (gzip %s)', async (gzip, consumed, now, alone) => {
    const match = matchOf(gzip ? 'in.csv.gz' : 'in.csv', now, gzip);
    expect(await match.grown(checkpointOf(consumed))).toBe(true);
    expect(await match.sameBytes(checkpointOf(consumed))).toBe(false);
    expect(await match.onlyLineEnded(checkpointOf(consumed))).toBe(alone);
    expect(await match.goesOnFromLastRow(checkpointOf(consumed))).toBe(false);
  });

  // Another byte after the lone CR (or none but a blank line's CRLF): not grown, and said so, not "the bytes differ".
  it.each([
    ['no line ending, then a byte', OLD.slice(0, -1), `${OLD.slice(0, -1)}ly\n3,new\n`],
    ['a lone CR, then a byte', `${OLD.slice(0, -1)}\r`, `${OLD.slice(0, -1)}\r3,new\r\n`],
  ])('tells a last row the new bytes go on from (%s)', async (_what, consumed, now) => {
    const match = matchOf('in.csv', now);
    expect(await match.grown(checkpointOf(consumed))).toBe(false);
    expect(await match.goesOnFromLastRow(checkpointOf(consumed))).toBe(true);
    expect(await matchOf('edited.csv', `${OLD.replace('good', 'gold')}3,new\n`).goesOnFromLastRow(checkpointOf(OLD))).toBe(false);
  });

  // A CR-only export (Excel for Mac) grown by rows: in CSV and TSV a lone CR ends a record, so the bytes after it are rows
  // of their own. It was started over ("… goes on with the bytes after them, so it is another record now: scoring it
  // afresh"), every row paid again: 997 requests for the 200 rows appended to 800 of imdb-labelled-sentences-bom.csv.
  // In JSONL a CR is no line ending: the bytes after it go on from the last row.
  it.each([
    ['csv', true],
    ['tsv', true],
    ['jsonl', false],
  ])('a lone CR, then a row: grown where a CR ends records (%s: %s)', async (format, grown) => {
    const consumed = OLD.replace(/\n/g, '\r');
    const match = matchOf('in.csv', `${consumed}3,new\r`);
    expect(await match.grown(checkpointOf(consumed, { format }))).toBe(grown);
    expect(await match.goesOnFromLastRow(checkpointOf(consumed, { format }))).toBe(!grown);
    expect(await match.onlyLineEnded(checkpointOf(consumed, { format }))).toBe(false);
  });

  // Its last row read with no ending at all, then a lone CR and a row: the CR ends that row where a CR ends records.
  it.each([
    ['csv', true],
    ['tsv', true],
    ['jsonl', false],
  ])('no ending, then a lone CR and a row: grown where a CR ends records (%s: %s)', async (format, grown) => {
    const consumed = OLD.replace(/\n/g, '\r').slice(0, -1);
    const match = matchOf('in.csv', `${consumed}\r3,new\r`);
    expect(await match.grown(checkpointOf(consumed, { format }))).toBe(grown);
    expect(await match.goesOnFromLastRow(checkpointOf(consumed, { format }))).toBe(!grown);
  });

  // The run's line says which (grown-input.ts): "rows appended" of a run that scored none was not what happened.
  it.each([
    ['LF alone', false, OLD.slice(0, -1), OLD, true],
    ['LF alone', true, OLD.slice(0, -1), OLD, true],
    ['CRLF alone', false, 'id,review\r\n1,good\r\n2,bad', 'id,review\r\n1,good\r\n2,bad\r\n', true],
    ['CRLF alone', true, 'id,review\r\n1,good\r\n2,bad', 'id,review\r\n1,good\r\n2,bad\r\n', true],
    ['LF, then a row', false, OLD.slice(0, -1), `${OLD}3,new\n`, false],
    ['LF, then a blank line', true, OLD.slice(0, -1), `${OLD}\n`, false],
    ['CRLF, then a row', false, 'id,review\r\n1,good\r\n2,bad', 'id,review\r\n1,good\r\n2,bad\r\n3,new\r\n', false],
    ['rows after a consumed LF', false, OLD, `${OLD}3,new\n`, false],
  ])('tells a line ending alone from rows appended (%s, gzip %s)', async (_what, gzip, consumed, now, alone) => {
    const match = matchOf(gzip ? 'in.csv.gz' : 'in.csv', now, gzip);
    expect(await match.grown(checkpointOf(consumed))).toBe(true);
    expect(await match.onlyLineEnded(checkpointOf(consumed))).toBe(alone);
  });

  it('a line ending alone is not told for a job that is not grown (a byte edited before it)', async () => {
    const match = matchOf('in.csv', `${OLD.replace('good', 'gold')}`);
    expect(await match.onlyLineEnded(checkpointOf(OLD.slice(0, -1)))).toBe(false);
  });

  it.each([false, true])('is grown when a --limit job completed short of its limit (gzip %s)', async (gzip) => {
    const match = matchOf(gzip ? 'in.csv.gz' : 'in.csv', `${OLD}3,new\n`, gzip);
    expect(await match.grown(checkpointOf(OLD, { limit: 5 }))).toBe(true);
    expect(await match.sameBytes(checkpointOf(OLD, { limit: 5 }))).toBe(false);
  });

  // A --limit job that reached its limit on a last row read without a line ending: a fresh run ends that row with the
  // line ending that follows it now, so the job is continued for that ending alone (grown-input.ts), not "already done".
  it.each([
    ['rows after it', false, `${OLD}3,new\n`],
    ['rows after it', true, `${OLD}3,new\n`],
    ['the line ending alone', false, OLD],
    ['CRLF, rows after it', false, `${OLD.replace(/\n/g, '\r\n')}3,new\r\n`],
  ])('is grown when a --limit job reached its limit on a row without a line ending that has one now (%s, gzip %s)', async (_what, gzip, now) => {
    const consumed = now.startsWith(OLD) ? OLD.slice(0, -1) : OLD.replace(/\n/g, '\r\n').slice(0, -2);
    const match = matchOf(gzip ? 'in.csv.gz' : 'in.csv', now, gzip);
    // Its 2 rows written, the limit.
    const checkpoint = { ...checkpointOf(consumed, { limit: 2 }), position: { nextIndex: 2 } } as unknown as Checkpoint;
    expect(await match.grown(checkpoint)).toBe(true);
    expect(await match.sameBytes(checkpoint)).toBe(false);
  });

  it.each([
    ['the same bytes, ending there', OLD, OLD, {}],
    ['a byte edited in the consumed part', OLD, `${OLD.replace('good', 'gold')}3,new\n`, {}],
    ['shorter than the consumed part', OLD, OLD.slice(0, -5), {}],
    ['the last consumed row had no line ending, continued', OLD.slice(0, -1), `${OLD.slice(0, -1)}ly\n3,new\n`, {}],
    ['the last consumed row had no line ending, continued after a CR', OLD.slice(0, -1), `${OLD.slice(0, -1)}\rx\n3,new\n`, {}],
    ['the last consumed row ended with a lone CR, another byte after it', `${OLD.slice(0, -1)}\r`, `${OLD.slice(0, -1)}\r3,new\r\n`, {}],
    ['the last consumed row ended with a lone CR, a whole CRLF after it', `${OLD.slice(0, -1)}\r`, `${OLD.slice(0, -1)}\r\r\n3,new\r\n`, {}],
    ['a --limit job that reached its limit', OLD, `${OLD}3,new\n`, { limit: 2 }],
    ['a paused job (it resumes: sameBytes)', OLD, `${OLD}3,new\n`, { completed: false }],
  ])('is not grown: %s', async (_what, consumed, now, options) => {
    const match = matchOf('in.csv', now);
    expect(await match.grown(checkpointOf(consumed, options))).toBe(false);
  });
});
