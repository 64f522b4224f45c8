import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyLineJson, runCli, tempDir } from './support/cli.js';

/**
 * With JSON logs asked for (--log-format json, or a job file's "logFormat": "json"), a usage or input error before any
 * work (exit 2, 3) was one plain line, `sentiment-batch: …`, on standard error: the one line a JSON-only log collector
 * could not parse, on the night that needed a person. It is now one JSON line in the shape of the run's others
 * (level 50, time, msg), with the exit code. A run that logged its error already (once rows were scored) adds no
 * second line. The plain-text default is unchanged (every expectCleanError test).
 */
describe('JSON logs asked for: the error that ends the command is a JSON line too', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir()));
  afterAll(() => cleanup());


  it('exit 3 before any work (a missing input), and exit 2 (an unknown flag: --log-format=json is read from the raw arguments)', async () => {
    const missing = await runCli(['score', path.join(dir, 'missing.csv'), '--log-format', 'json']);
    expect(missing.code).toBe(3);
    const [line, ...more] = everyLineJson(missing.stderr);
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 50, exitCode: 3 });
    expect(typeof line?.time).toBe('number');
    expect(line?.msg).toMatch(/missing\.csv/);
    expect(line?.msg).not.toMatch(/^sentiment-batch:/);

    const unknown = await runCli(['score', path.join(dir, 'missing.csv'), '--log-format=json', '--rmp', '5']);
    expect(unknown.code).toBe(2);
    expect(everyLineJson(unknown.stderr)).toEqual([expect.objectContaining({ level: 50, exitCode: 2, msg: expect.stringMatching(/unknown option '--rmp'.*did you mean --rpm/) })]);
  });

  it('a job file\'s "logFormat": "json", also when the job file itself is refused (an unknown key)', async () => {
    const job = path.join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({ input: 'in.csv', logFormat: 'json', rmp: 5 }));
    const refused = await runCli(['run', job]);
    expect(refused.code).toBe(2);
    expect(everyLineJson(refused.stderr)).toEqual([expect.objectContaining({ level: 50, exitCode: 2, msg: expect.stringMatching(/unknown key 'rmp'/) })]);
    // A flag overriding it, and the plain default: test/asked-log-format.test.ts.
  });

  // estimate of a job file said its warnings in the job file's "logFormat" (lowfix56) but its error line stayed plain:
  // a missing input (exit 3), a column not in the header and a refused key (exit 2) end with a JSON line as run's do.
  it('estimate of a job file with "logFormat": "json": its error line is JSON, as run\'s is', async () => {
    writeFileSync(path.join(dir, 'in.csv'), 'id,text\n1,good film\n');
    const estimate = async (settings: object, code: number): Promise<Array<Record<string, unknown>>> => {
      writeFileSync(path.join(dir, 'estimate-job.json'), JSON.stringify({ output: 'out.csv', ...settings }));
      const result = await runCli(['estimate', 'estimate-job.json'], { cwd: dir });
      expect(result.code).toBe(code);
      expect(result.stdout).toBe('');
      return everyLineJson(result.stderr);
    };
    const missing = await estimate({ input: 'missing.csv', logFormat: 'json' }, 3);
    expect(missing).toEqual([expect.objectContaining({ level: 50, exitCode: 3, msg: expect.stringMatching(/^cannot open input file .*missing\.csv.*"input" of job file/) })]);
    const column = await estimate({ input: 'in.csv', textColumn: 'txt', logFormat: 'json' }, 2);
    expect(column).toEqual([expect.objectContaining({ level: 50, exitCode: 2, msg: expect.stringMatching(/"textColumn" 'txt' is not in the header/) })]);
    const key = await estimate({ input: 'in.csv', logFormat: 'json', rmp: 5 }, 2);
    expect(key).toEqual([expect.objectContaining({ level: 50, exitCode: 2, msg: expect.stringMatching(/unknown key 'rmp'/) })]);
    // "pretty" (and the default, auto) keeps the plain line; "logLevel" does not silence it, as it does not run's.
    writeFileSync(path.join(dir, 'estimate-job.json'), JSON.stringify({ input: 'missing.csv', logFormat: 'pretty', logLevel: 'silent' }));
    const plain = await runCli(['estimate', 'estimate-job.json'], { cwd: dir });
    expect(plain.code).toBe(3);
    expect(plain.stderr).toMatch(/^sentiment-batch: cannot open input file .*missing\.csv[^\n]*\n$/);
  });

  it('an input error once rows were scored: logged at error once, every line JSON', async () => {
    const input = path.join(dir, 'bad.csv');
    const rows = ['id,text', ...Array.from({ length: 3000 }, (_, i) => `${i},review ${i} is great`)];
    writeFileSync(input, Buffer.concat([Buffer.from(`${rows.join('\n')}\n3000,bad `), Buffer.from([0xff]), Buffer.from(' byte\n')]));
    const r = await runCli(['score', input, '-o', path.join(dir, 'bad.out.csv'), '--log-format', 'json']);
    expect(r.code).toBe(3);
    const errors = everyLineJson(r.stderr).filter((entry) => entry.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(/not valid UTF-8/);
  });
});
