import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scoreCommand, type CommandIo } from '../src/commands/score.js';
import { tempDir } from './support/cli.js';

/**
 * `score --report`'s --summary-json says `report: {path, written: false}` after every exit that wrote no report (a
 * failure, a stop in the setup, a signal after the run), but not after a signal before the job's own handler was in
 * place, nor after a second signal that exits at once: those summaries had no `report` field, and a script reading
 * `.report.written` found nothing where every other early exit said false. They say it now.
 */
describe('score --report: a signal before any work says the report was not written', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  function setUp(): { args: string[]; summaryJson: string; report: string } {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,text\n1,good one\n2,bad two\n');
    const summaryJson = path.join(dir, 'summary.json');
    // A JSON report: the HTML page's charts take seconds to load, and the page is not what is tested.
    const report = path.join(dir, 'report.json');
    const args = [input, '-o', path.join(dir, 'out.csv'), '--backend', 'embedded', '--log-level', 'silent', '--summary-json', summaryJson, '--report', report];
    return { args, summaryJson, report };
  }
  const quietIo = (hooks: Partial<CommandIo>): CommandIo => ({
    stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
    env: {},
    onSignal: () => () => undefined,
    ...hooks,
  });

  it('a signal before the job began (the early words)', async () => {
    const { args, summaryJson, report } = setUp();
    let early: ((signal: string) => Promise<void>) | undefined;
    const io = quietIo({
      // The first words registered are the early ones (the report phase registers its own after the run).
      onSignalExit: (words) => {
        early ??= words;
        return () => undefined;
      },
    });
    await scoreCommand('score', args, io);
    // Said as that signal says them (it exits 130 after them): they replace the summary the run wrote.
    await early!('SIGTERM');
    const written = JSON.parse(readFileSync(summaryJson, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ status: 'interrupted', exitCode: 130, message: 'stopped by SIGTERM before any work began' });
    expect(written['report']).toEqual({ path: report, written: false });
  });

  it('a second signal while it sets up', async () => {
    const { args, summaryJson, report } = setUp();
    let written: Record<string, unknown> | undefined;
    const io = quietIo({
      onSecondSignal: (words) => {
        words('SIGTERM');
        written = JSON.parse(readFileSync(summaryJson, 'utf8')) as Record<string, unknown>;
        return () => undefined;
      },
    });
    await scoreCommand('score', args, io).catch(() => undefined);
    expect(written).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(written?.['report']).toEqual({ path: report, written: false });
  });
});
