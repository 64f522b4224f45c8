import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inputFile } from '../src/io/open-input.js';
import { OutputFile } from '../src/io/output-file.js';
import { decideStart } from '../src/job/resume.js';
import { InputMatch } from '../src/job/same-input.js';
import { decodeEntry, encodeEntry, encodeHeader } from '../src/journal/journal-format.js';
import { toScores } from '../src/scoring/scorer.js';
import { finishInterruptedMend } from '../src/mend/finish-mend.js';
import { ConfigError } from '../src/errors.js';
import { createLogger } from '../src/log.js';
import { CHECKPOINT_VERSION, hashSettings, readCheckpoint, writeCheckpoint, type Checkpoint } from '../src/state/checkpoint.js';
import { emptyTotals, type Totals } from '../src/state/totals.js';
import { tempDir } from './support/cli.js';

/** A checkpoint as a run writes it: its next row index is the rows its totals count read. */
const sample = (totals: Totals = emptyTotals()): Checkpoint => ({
  version: CHECKPOINT_VERSION,
  tool: 'sentiment-batch',
  input: { path: 'in.csv', identity: { size: 10, mtimeMs: 1, headHash: 'a', tailHash: 'b' } },
  settings: { format: 'csv', delimiter: ',', text: 'review', prefix: 'sentiment', modelId: 'm', longText: 'truncate' },
  settingsHash: 'h',
  output: { path: 'out.csv', partialPath: 'out.csv.partial' },
  position: { inputOffset: 5, outputBytes: 7, nextIndex: totals.read },
  totals,
  completed: false,
  updatedAt: new Date(0).toISOString(),
});

describe('checkpoint and output file', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('round-trips a checkpoint and leaves no temp file behind', async () => {
    const file = path.join(dir, 'c.json');
    await writeCheckpoint(file, sample());
    expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: sample() });
    expect(readFileSync(file, 'utf8')).not.toContain('apiToken');
  });

  it('a mend finished by the next run records where the mended output\'s last record starts, as the mend records it itself', async () => {
    const output = path.join(dir, 'out.csv');
    const paths = { outputPath: output, partialPath: `${output}.partial`, checkpointPath: path.join(dir, 'c.json') };
    const killed = (mending: NonNullable<Checkpoint['mending']>): Checkpoint => ({
      ...sample({ ...emptyTotals(), read: 3, scored: 3 }),
      completed: true,
      position: { inputOffset: 30, outputBytes: 40, nextIndex: 3, lastInputStart: 20, lastOutputStart: 28 },
      listedFailures: 1,
      mending,
    });
    // Killed before the rename: the mended copy (one row shorter by 4 bytes, before the last) is the partial output.
    writeFileSync(output, 'x'.repeat(40));
    writeFileSync(paths.partialPath, 'y'.repeat(36));
    const finished = await finishInterruptedMend(killed({ outputBytes: 36, listedFailures: 0, lastOutputStart: 24 }), paths, createLogger('silent'));
    expect(finished.position).toEqual({ inputOffset: 30, outputBytes: 36, nextIndex: 3, lastInputStart: 20, lastOutputStart: 24 });
    expect(existsSync(paths.partialPath)).toBe(false);
    const saved = await readCheckpoint(paths.checkpointPath);
    expect(saved.kind === 'ok' && saved.checkpoint.position.lastOutputStart).toBe(24);
    expect(saved.kind === 'ok' && saved.checkpoint.mending).toBeUndefined();
    // A checkpoint of an older version records no such offset: the old one is kept, as before, and it stays readable.
    writeFileSync(paths.checkpointPath, JSON.stringify(killed({ outputBytes: 36, listedFailures: 0 })));
    const older = await readCheckpoint(paths.checkpointPath);
    expect(older.kind).toBe('ok');
    writeFileSync(paths.partialPath, 'y'.repeat(36));
    expect((await finishInterruptedMend(killed({ outputBytes: 36, listedFailures: 0 }), paths, createLogger('silent'))).position.lastOutputStart).toBe(28);
    // A hand-edited offset that is no offset is refused like the rest of the record.
    writeFileSync(paths.checkpointPath, JSON.stringify(killed({ outputBytes: 36, listedFailures: 0, lastOutputStart: -1 })));
    expect(await readCheckpoint(paths.checkpointPath)).toEqual({ kind: 'unusable', reason: 'its record of a mend in progress is invalid' });
  });

  // A job completed at its --limit keeps its journal's answers to rows past the limit for a later run with a higher limit
  // or none (completed-job-files.ts); its mend, killed as it replaced the output, then finished by the next run, removed
  // the whole journal (lowfix30): those answers were paid for again.
  it('a mend of a job completed at its --limit, finished by the next run, keeps the journal\'s answers to rows past the limit', async () => {
    const output = path.join(dir, 'out.csv');
    const paths = { outputPath: output, partialPath: `${output}.partial`, checkpointPath: path.join(dir, 'c.json') };
    const base = sample({ ...emptyTotals(), read: 3, scored: 3 });
    const killed = (limit: number | undefined): Checkpoint => ({
      ...base,
      settings: { ...base.settings, ...(limit !== undefined ? { limit } : {}) },
      completed: true,
      position: { inputOffset: 30, outputBytes: 40, nextIndex: 3, lastInputStart: 20, lastOutputStart: 28 },
      listedFailures: 1,
      mending: { outputBytes: 36, listedFailures: 0, lastOutputStart: 24 },
    });
    const journal = `${output}.journal`;
    const scored = (i: number, t: string) => encodeEntry(t, i, { kind: 'scored', scores: toScores(0.9, 0.1) });
    const writeJournal = () => writeFileSync(journal, encodeHeader({ settingsHash: 'h', identity: base.input.identity }) + scored(1, 'mended row') + scored(5, 'past the limit'));
    for (const [limit, kept] of [
      [3, ['past the limit']],
      [undefined, undefined],
    ] as const) {
      writeFileSync(output, 'x'.repeat(40));
      writeFileSync(paths.partialPath, 'y'.repeat(36));
      writeJournal();
      await finishInterruptedMend(killed(limit), paths, createLogger('silent'));
      // At its limit: the answer to row 5 stays (row 1's is written); without one, nothing of the journal is needed.
      if (kept === undefined) expect(existsSync(journal)).toBe(false);
      else expect(readFileSync(journal, 'utf8').split('\n').slice(1).filter(Boolean).map((line) => decodeEntry(line)?.text)).toEqual(kept);
    }
  });

  // Worded where it is read, before anyone knows whether the next run continues from it: there may be none (here a
  // path through a file, no checkpoint at all), or the job may be complete. It said "(it continues from the checkpoint)".
  it('a refusal reading it promises no checkpoint to continue from', async () => {
    const file = path.join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const error = await readCheckpoint(path.join(file, 'out.csv.checkpoint.json')).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/is not a folder .*: fix the path, then run the same command again$/);
    expect((error as Error).message).not.toMatch(/continues from the checkpoint/);
  });

  it('reports missing, corrupt and foreign checkpoints instead of trusting them', async () => {
    const file = path.join(dir, 'c.json');
    expect(await readCheckpoint(file)).toEqual({ kind: 'none' });
    writeFileSync(file, '{"tool":"sentiment-batch","version":1,"posi');
    expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'it is not valid JSON' });
    writeFileSync(file, JSON.stringify({ ...sample(), version: 99 }));
    expect((await readCheckpoint(file)).kind).toBe('unusable');
    // A version typed as text by hand read "it has version 1, this program writes version 1".
    writeFileSync(file, JSON.stringify({ ...sample(), version: '1' }));
    expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'it has version "1", this program writes version 1' });
    writeFileSync(file, JSON.stringify({ ...sample(), position: { inputOffset: -1, outputBytes: 0, nextIndex: 0 } }));
    expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its position is invalid' });
  });

  // The CRC-32 of a paused job's partial output (prove-checkpoint.ts): one no CRC-32 can be was edited, and proves nothing.
  it('keeps the partial output\'s CRC-32, and refuses one that is no CRC-32', async () => {
    const file = path.join(dir, 'c.json');
    const withCrc = { ...sample(), partialCrc32: 0xffffffff };
    await writeCheckpoint(file, withCrc);
    expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: withCrc });
    for (const partialCrc32 of [-1, 2 ** 32, 1.5, '12']) {
      writeFileSync(file, JSON.stringify({ ...sample(), partialCrc32 }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its CRC-32 of the partial output is invalid' });
    }
  });

  it('keeps the failure counts beside the totals, and refuses counts the totals cannot hold', async () => {
    const file = path.join(dir, 'c.json');
    const totals = { ...emptyTotals(), read: 10, scored: 6, failed: 4 };
    const counted = { ...sample(totals), listedFailures: 2, failureCounts: { unreadable: 1, sent: 9, sentFailed: 3, sentFailedTransient: 2 } };
    await writeCheckpoint(file, counted);
    expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: counted });
    // Written before transient failures were counted: still good.
    const older = { ...counted, failureCounts: { unreadable: 1, sent: 9, sentFailed: 3 } };
    await writeCheckpoint(file, older);
    expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: older });
    // The count of listed rows came before the transient failures' count in a completed job's checkpoint: one with the
    // second and not the first was edited, unlike an older version's, which has neither.
    const { listedFailures: _listed, ...uncounted } = counted;
    writeFileSync(file, JSON.stringify({ ...uncounted, completed: true }));
    expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its count of listed failed rows is missing' });
    // A paused job's checkpoint of the release before 2026-12-04 has the second and not the first: it is read (its list is
    // then proven against the transient failures' count). It was unusable: the paused job started over, paid again.
    writeFileSync(file, JSON.stringify(uncounted));
    expect((await readCheckpoint(file)).kind).toBe('ok');
    writeFileSync(file, JSON.stringify({ ...uncounted, failureCounts: older.failureCounts }));
    expect((await readCheckpoint(file)).kind).toBe('ok');
    const invalid = [{ unreadable: 2, sent: 9, sentFailed: 3 }, { unreadable: 0, sent: 11, sentFailed: 0 }, { unreadable: 0, sent: 1.5, sentFailed: 0 }, { sent: 1 }, { unreadable: 0, sent: 9, sentFailed: 3, sentFailedTransient: 4 }];
    for (const failureCounts of invalid) {
      writeFileSync(file, JSON.stringify({ ...counted, failureCounts }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its failure counts are invalid' });
    }
  });

  // The whole output's counts per label (state/label-counts.ts), given by --summary-json as `labels`.
  // Counts that are not the rows scored (a hand edit; or the release before them mended the job's failed rows, keeping the
  // counts as they were beside its new totals) are dropped, unknown as in an older checkpoint: they were 'unusable:
  // starting over', and a complete output was scored again whole, every row paid twice, for a count only the summary gives.
  it('keeps the counts per label beside the totals, and drops counts that are not the rows scored (a hand edit, an older release)', async () => {
    const file = path.join(dir, 'labels.json');
    const counted = { ...sample({ ...emptyTotals(), read: 10, scored: 6, failed: 4 }), labels: { POSITIVE: 4, NEGATIVE: 2 } };
    await writeCheckpoint(file, counted);
    expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: counted });
    // Written before labels were counted: still good (the summary has no labels then).
    const { labels: _labels, ...older } = counted;
    writeFileSync(file, JSON.stringify(older));
    expect((await readCheckpoint(file)).kind).toBe('ok');
    for (const labels of [{ POSITIVE: 4, NEGATIVE: 3 }, { POSITIVE: 5.5, NEGATIVE: 0.5 }, { POSITIVE: -1, NEGATIVE: 7 }, { POSITIVE: '4', NEGATIVE: 2 }, [4, 2], 6]) {
      writeFileSync(file, JSON.stringify({ ...counted, labels }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: older });
    }
  });

  // The output's texts only a number (scoring/number-only-text.ts), said again by an "already done" rerun. One a run
  // cannot have written (more rows than scored, a first row past those read) is dropped, unknown as in an older
  // checkpoint: the rerun says nothing of them rather than a hand edit's figure, and the job is not started over for it.
  it('keeps the count of texts only a number, and drops one a run cannot have written', async () => {
    const file = path.join(dir, 'number-only.json');
    const counted = { ...sample({ ...emptyTotals(), read: 10, scored: 6, failed: 4 }), completed: true, numberOnly: { rows: 2, firstRow: 3 } };
    await writeCheckpoint(file, counted);
    expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: counted });
    const { numberOnly: _numberOnly, ...older } = counted;
    for (const numberOnly of [{ rows: 7, firstRow: 1 }, { rows: 1, firstRow: 11 }, { rows: 2 }, 'two']) {
      writeFileSync(file, JSON.stringify({ ...counted, numberOnly }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: older });
    }
  });

  // The memory limit the job started under (io/record-bound.ts judgeUnderJobLimit), null for none. One no run can have
  // found (0, a fraction, text) is dropped, unknown as in an older checkpoint: the resume judges under its own limit.
  it('keeps the memory limit the job started under, and drops one no run can have found', async () => {
    const file = path.join(dir, 'memory-limit.json');
    for (const memoryLimit of [134217728, null]) {
      const limited = { ...sample(emptyTotals()), memoryLimit };
      await writeCheckpoint(file, limited);
      expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: limited });
    }
    const older = sample(emptyTotals());
    for (const memoryLimit of [0, -1, 1.5, '134217728', {}]) {
      writeFileSync(file, JSON.stringify({ ...older, memoryLimit }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: older });
    }
  });

  // A completed job's note of a JSONL text field renamed partway (renamed-text-field.ts), read by its "already done" rerun.
  it('reads a note of a renamed text field, and refuses one that is not (a hand edit)', async () => {
    const file = path.join(dir, 'renamed.json');
    const noted = { ...sample({ ...emptyTotals(), read: 10, scored: 4, skipped: 6 }), completed: true, renamedTextField: { field: 'body', rows: 6 } };
    await writeCheckpoint(file, noted);
    expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: noted });
    for (const renamedTextField of [{ field: 'body', rows: 7 }, { field: 'body', rows: 0 }, { field: 3, rows: 6 }, { rows: 6 }, 'body']) {
      writeFileSync(file, JSON.stringify({ ...noted, renamedTextField }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its note of a renamed text field is invalid' });
    }
  });

  it('refuses totals that do not add up (a hand edit): they would be carried into every later summary', async () => {
    const file = path.join(dir, 'c.json');
    const totals = { ...emptyTotals(), read: 10, scored: 6, skipped: 1, failed: 3, cached: 2, duplicates: 1, truncated: 1 };
    await writeCheckpoint(file, sample(totals));
    expect((await readCheckpoint(file)).kind).toBe('ok');
    for (const edit of [{ scored: 5 }, { read: 11 }, { cached: 7 }, { duplicates: 10 }, { truncated: 7 }]) {
      writeFileSync(file, JSON.stringify({ ...sample(totals), totals: { ...totals, ...edit } }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its totals do not add up' });
    }
  });

  it('refuses counts and offsets a run could not have written: fractions of rows, numbers past what adds up exactly (hand edits)', async () => {
    const file = path.join(dir, 'c.json');
    const totals = { ...emptyTotals(), read: 10, scored: 9, skipped: 1, requests: 12, tokens: 80, neurons: 0.25 };
    await writeCheckpoint(file, sample(totals));
    expect((await readCheckpoint(file)).kind).toBe('ok');
    // 9.5 + 0.5 add up to the 10 rows read: the summary said "scored 10, skipped 1" of 10 rows. 1e300 requests swallowed
    // the next run's own ("requests sent 0" after 260 sent).
    for (const edit of [{ scored: 9.5, skipped: 0.5 }, { requests: 1e300 }, { tokens: 2 ** 53 }, { neurons: 1e300 }]) {
      writeFileSync(file, JSON.stringify({ ...sample(totals), totals: { ...totals, ...edit } }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its totals are invalid' });
    }
    for (const position of [{ inputOffset: 1e300, outputBytes: 7, nextIndex: 10 }, { inputOffset: 5, outputBytes: 2 ** 53, nextIndex: 10 }]) {
      writeFileSync(file, JSON.stringify({ ...sample(totals), position }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its position is invalid' });
    }
    writeFileSync(file, JSON.stringify({ ...sample(totals), position: { ...sample(totals).position, lastInputStart: 1e300, lastOutputStart: 3 } }));
    expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its last record position is invalid' });
  });

  it('refuses a next row index its totals do not count read, and settings it could not have written (hand edits)', async () => {
    const file = path.join(dir, 'c.json');
    const totals = { ...emptyTotals(), read: 10, scored: 10 };
    await writeCheckpoint(file, sample(totals));
    expect((await readCheckpoint(file)).kind).toBe('ok');
    // A --limit job resumed from an index moved by hand wrote that many rows too many or too few, exit 0.
    for (const nextIndex of [5, 11]) {
      writeFileSync(file, JSON.stringify({ ...sample(totals), position: { ...sample(totals).position, nextIndex } }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: `its next row index ${nextIndex} is not the 10 rows its totals say were read` });
    }
    // Past the integers a double holds exactly, it is no index at all.
    writeFileSync(file, JSON.stringify({ ...sample(totals), position: { ...sample(totals).position, nextIndex: 1e300 } }));
    expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its position is invalid' });
    // The settings removed was a TypeError in the backend check, exit 1 with a stack trace.
    const settings = sample(totals).settings;
    for (const edited of [undefined, null, 'csv', { ...settings, modelId: 7 }, { ...settings, text: undefined }, { ...settings, limit: '150' }, { ...settings, limit: -1 }, { ...settings, endpoint: 1 }]) {
      writeFileSync(file, JSON.stringify({ ...sample(totals), settings: edited }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its settings are invalid' });
    }
    writeFileSync(file, JSON.stringify({ ...sample(totals), settings: { ...settings, limit: 150, endpoint: 'http://127.0.0.1:8787/client/v4' } }));
    expect((await readCheckpoint(file)).kind).toBe('ok');
  });

  it('refuses a record of the input bytes consumed a run could not have written: it must reach the position, in order, each a sha256 (hand edits)', async () => {
    const file = path.join(dir, 'c.json');
    const totals = { ...emptyTotals(), read: 10, scored: 10 };
    const hash = 'ab'.repeat(32);
    // The sample's position is at input offset 5.
    for (const consumed of [[{ end: 5, sha256: hash }], [{ end: 2, sha256: hash }, { end: 5, sha256: hash }]]) {
      writeFileSync(file, JSON.stringify({ ...sample(totals), consumed }));
      expect((await readCheckpoint(file)).kind).toBe('ok');
    }
    const edits = [
      null,
      'x',
      {},
      [],
      [{ end: 4, sha256: hash }],
      [{ end: 6, sha256: hash }],
      [{ end: 3, sha256: hash }, { end: 3, sha256: hash }, { end: 5, sha256: hash }],
      [{ end: 0, sha256: hash }, { end: 5, sha256: hash }],
      [{ end: '5', sha256: hash }],
      [{ end: 5, sha256: hash.toUpperCase() }],
      [{ end: 5, sha256: hash.slice(1) }],
      [{ end: 5 }],
      [null],
    ];
    for (const consumed of edits) {
      writeFileSync(file, JSON.stringify({ ...sample(totals), consumed }));
      expect(await readCheckpoint(file)).toEqual({ kind: 'unusable', reason: 'its record of the input bytes consumed is invalid' });
    }
  });

  it("starts over on an input identity of the wrong type as a checkpoint damaged, not as the input changed (a hand edit)", async () => {
    const file = path.join(dir, 'c.json');
    const written = { ...sample({ ...emptyTotals(), read: 10, scored: 10 }), settingsHash: hashSettings(sample().settings) };
    const ctx = { checkpointPath: file, partialPath: path.join(dir, 'out.csv.partial'), outputPath: path.join(dir, 'out.csv'), inputPath: 'in.csv', identity: written.input.identity, settingsHash: written.settingsHash, restart: false, require: undefined, log: createLogger('silent') };
    await writeCheckpoint(file, written);
    expect((await decideStart(ctx)).kind).toBe('resume');
    const identity = written.input.identity;
    for (const edited of ['x', 7, [], { ...identity, size: String(identity.size) }, { ...identity, size: -1 }, { ...identity, mtimeMs: null }, { ...identity, headHash: 1 }, { ...identity, tailHash: undefined }]) {
      writeFileSync(file, JSON.stringify({ ...written, input: { ...written.input, identity: edited } }));
      expect(await decideStart(ctx)).toEqual({ kind: 'fresh', why: `the checkpoint ${file} is unusable: its input's identity is invalid` });
    }
  });

  // An invalid one threw the whole checkpoint away ("unusable … starting over"): a Workers AI job paid for every row
  // again, where comparing the bytes the job read costs one read. It is unknown now: that comparison decides.
  it("reads the input's device, inode and change time when they are decimal strings; any other shape (a hand edit) is unknown: the job's bytes are compared, and the run says why", async () => {
    const file = path.join(dir, 'c.json');
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,review\n1,good\n');
    const { identity, fileId: realFileId } = await inputFile(input);
    const consumed = [{ end: 5, sha256: createHash('sha256').update('id,re').digest('hex') }];
    const written = { ...sample({ ...emptyTotals(), read: 10, scored: 10 }), settingsHash: hashSettings(sample().settings), consumed };
    written.input = { path: input, identity };
    for (const fileId of [{ dev: '2049', ino: '18446744073709551615', ctimeNs: '1796575603769123456' }, { dev: '2049', ino: '5' }]) {
      await writeCheckpoint(file, { ...written, input: { ...written.input, fileId } });
      expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: { ...written, input: { ...written.input, fileId } } });
    }
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) }));
    const ctx = { checkpointPath: file, partialPath: path.join(dir, 'out.csv.partial'), outputPath: path.join(dir, 'out.csv'), inputPath: input, identity, settingsHash: written.settingsHash, restart: false, require: undefined, log };
    for (const edited of ['x', 7, null, [], {}, { dev: 2049, ino: '5' }, { dev: '2049' }, { dev: '2049', ino: '-5' }, { dev: '2049', ino: '5e3' }, { dev: '', ino: '5' }, { dev: '2049', ino: '1'.repeat(21) }, { dev: '2049', ino: '5', ctimeNs: 17 }, { dev: '2049', ino: '5', ctimeNs: null }, { ...realFileId, ctimeNs: 1 }]) {
      writeFileSync(file, JSON.stringify({ ...written, input: { ...written.input, fileId: edited } }));
      const loaded = await readCheckpoint(file);
      expect(loaded).toMatchObject({ kind: 'ok', fileIdProblem: `its input's device, inode and change time are invalid (${JSON.stringify(edited)}, where each is a decimal string)` });
      // Not taken for the recorded file even where it is (the real device and inode, its change time edited): compared by bytes.
      const match = new InputMatch({ path: input, gzip: false, identity, fileId: realFileId });
      expect(match.recordedFile((loaded as { checkpoint: Checkpoint }).checkpoint)).toBe(false);
      lines.length = 0;
      expect((await decideStart({ ...ctx, match })).kind).toBe('resume');
      expect(lines.join('')).toContain(`its input's device, inode and change time are invalid (${JSON.stringify(JSON.stringify(edited)).slice(1, -1)}`);
      // The line after it says those were unreadable, not that the file is another one or changed since.
      expect(lines.join('')).toContain('the same size and modification time, but the device, inode and change time it recorded are unreadable');
      expect(lines.join('')).not.toContain('its device, inode or change time differ');
      // Written back as it was read (a mend's `...checkpoint`), the stand-in for the unknown one is not put on disk:
      // every later run read it as unknown again, and read the consumed bytes again.
      const rewritten = path.join(dir, 'rewritten.json');
      await writeCheckpoint(rewritten, (loaded as { checkpoint: Checkpoint }).checkpoint);
      expect((JSON.parse(readFileSync(rewritten, 'utf8')) as Checkpoint).input).toEqual({ path: input, identity });
      expect(await readCheckpoint(rewritten)).toEqual({ kind: 'ok', checkpoint: { ...(loaded as { checkpoint: Checkpoint }).checkpoint, input: { path: input, identity } } });
      // Other bytes where the job read: not this job's input.
      writeFileSync(input, 'ID,review\n1,good\n');
      const other = new InputMatch({ path: input, gzip: false, identity, fileId: realFileId });
      expect(await other.same((loaded as { checkpoint: Checkpoint }).checkpoint)).toBe(false);
      writeFileSync(input, 'id,review\n1,good\n');
    }
  });

  it('starts over when the settings it records are not those its hash was made from (a hand edit beside an untouched hash)', async () => {
    const file = path.join(dir, 'c.json');
    const totals = { ...emptyTotals(), read: 10, scored: 10 };
    const written = { ...sample(totals), settingsHash: hashSettings(sample().settings) };
    const ctx = { checkpointPath: file, partialPath: path.join(dir, 'out.csv.partial'), outputPath: path.join(dir, 'out.csv'), inputPath: 'in.csv', identity: written.input.identity, settingsHash: written.settingsHash, restart: false, require: undefined, log: createLogger('silent') };
    await writeCheckpoint(file, written);
    expect((await decideStart(ctx)).kind).toBe('resume');
    // A record limit set to the rows written so far, with "completed": the proof asked no more rows of the input, and the
    // partial output was renamed "Done", exit 0, rows missing.
    for (const settings of [{ ...written.settings, limit: 10 }, { ...written.settings, prefix: 'mood' }]) {
      await writeCheckpoint(file, { ...written, settings, completed: true });
      expect(await decideStart(ctx)).toEqual({ kind: 'fresh', why: `the checkpoint ${file} is unusable: its settings are not the ones its settingsHash was made from (edited by hand)` });
      await expect(decideStart({ ...ctx, require: '--resume require' })).rejects.toThrow(/^--resume require: cannot resume, the checkpoint .* is unusable: its settings are not the ones its settingsHash was made from/);
    }
  });

  // A release rolled back after an upgrade meets the newer release's checkpoint: "unusable: starting over" wrote over that
  // job's partial output (300,000-row CSV killed at row 16,011, then run with this release: its rows scored again) and
  // replaced a completed output under the checkpoint. It is refused, the files left as they are, unless --restart.
  it('refuses a checkpoint of a newer release instead of starting over over its job (exit 2), --resume require or not', async () => {
    const file = path.join(dir, 'c.json');
    const written = { ...sample({ ...emptyTotals(), read: 10, scored: 10 }), settingsHash: hashSettings(sample().settings) };
    const ctx = { checkpointPath: file, partialPath: path.join(dir, 'out.csv.partial'), outputPath: path.join(dir, 'out.csv'), inputPath: 'in.csv', identity: written.input.identity, settingsHash: written.settingsHash, restart: false, require: undefined, log: createLogger('silent') };
    for (const completed of [false, true]) {
      writeFileSync(file, JSON.stringify({ ...written, completed, version: CHECKPOINT_VERSION + 1 }));
      const before = readFileSync(file, 'utf8');
      for (const require of [undefined, '--resume require']) {
        const error = await decideStart({ ...ctx, require }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toBe(
          `the checkpoint ${file} was written by a newer release of sentiment-batch (checkpoint version ${CHECKPOINT_VERSION + 1}; this release reads version ${CHECKPOINT_VERSION}): ` +
            'run the job with that release to continue it, or run with --restart to score the input afresh with this one (the job\'s progress is then lost); nothing was changed',
        );
      }
      expect(readFileSync(file, 'utf8')).toBe(before);
      // --restart starts over on purpose, as with any checkpoint.
      expect(await decideStart({ ...ctx, restart: true })).toEqual({ kind: 'fresh' });
    }
    // An older or malformed version is not a newer release's: unusable, started over as before.
    for (const version of [0, '2', 1.5, null]) {
      writeFileSync(file, JSON.stringify({ ...written, version }));
      expect((await decideStart(ctx)).kind).toBe('fresh');
    }
  });

  it('reads a checkpoint saved with a leading BOM by an editor, as job files are read', async () => {
    const file = path.join(dir, 'c.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(sample(), null, 2)}\r\n`);
    expect(await readCheckpoint(file)).toEqual({ kind: 'ok', checkpoint: sample() });
  });

  it('hashes settings independently of key order', () => {
    const a = sample().settings;
    const b = { longText: a.longText, modelId: a.modelId, prefix: a.prefix, text: a.text, delimiter: a.delimiter, format: a.format };
    expect(hashSettings(a)).toBe(hashSettings(b));
    expect(hashSettings({ ...a, prefix: 'other' })).not.toBe(hashSettings(a));
  });

  it('resumes an output by cutting what follows the checkpointed length', async () => {
    const file = path.join(dir, 'out.partial');
    const out = await OutputFile.create(file);
    await out.write('header\nrow 1\n');
    expect(await out.sync()).toBe(13);
    await out.write('row 2 never checkpointed\n');
    await out.flush();
    await out.close();

    const resumed = await OutputFile.resume(file, 13);
    expect(resumed).toBeDefined();
    await resumed?.write('row 2\n');
    await resumed?.sync();
    await resumed?.close();
    expect(readFileSync(file, 'utf8')).toBe('header\nrow 1\nrow 2\n');
    expect(await OutputFile.resume(file, 1000)).toBeUndefined();
    expect(await OutputFile.resume(path.join(dir, 'missing'), 0)).toBeUndefined();
  });
});
