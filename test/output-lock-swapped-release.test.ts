import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pidNamespace } from '../src/process/dead-holder.js';
import { lockIdentity } from '../src/state/lock-owner.js';
import { lockOutput } from '../src/state/output-lock.js';
import { REPO_ROOT } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';

/**
 * The output's folder swapped under a run (moved away, made again) and another run's lock taken in the new one: the
 * first run's release removed the lock at its path, the other run's, so a third could start beside the second (CI at
 * 44670f65: lowfix78's e2e case found the other run's owner.json gone). A release leaves another run's lock alone;
 * its own it removes as before.
 */
describe("releasing the output's lock after its folder was swapped", () => {
  const files = useTempDir();

  it("leaves another run's lock at the path alone, and removes its own", async () => {
    const folder = files.path('out');
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    const lock = await lockOutput(output);
    renameSync(folder, `${folder}.gone`);
    mkdirSync(`${output}.lock`, { recursive: true });
    const other = `${JSON.stringify({ tool: 'sentiment-batch', host: hostname(), pid: process.pid + 1, since: new Date().toISOString() })}\n`;
    writeFileSync(path.join(`${output}.lock`, 'owner.json'), other);
    await lock.release();
    expect(readFileSync(path.join(`${output}.lock`, 'owner.json'), 'utf8')).toBe(other);

    mkdirSync(files.path('own'));
    const mine = await lockOutput(path.join(files.path('own'), 'out.csv'));
    await mine.release();
    expect(() => readFileSync(path.join(files.path('own'), 'out.csv.lock', 'owner.json'))).toThrow(/ENOENT/);
  });

  // A run of another machine or container sharing the volume can name this very host, pid and namespace (a fixed
  // --hostname, node as PID 1, a namespace inode the kernel gave out again: dead-holder.ts canCheckHolder). Its lock
  // records the folder it made (`lockId`), which is not the one this run made: that tells it apart.
  it("leaves alone a lock naming this host, pid and namespace whose folder is not the one this run made", async () => {
    const folder = files.path('twin');
    mkdirSync(folder);
    const output = path.join(folder, 'out.csv');
    const lock = await lockOutput(output);
    renameSync(folder, `${folder}.gone`);
    mkdirSync(`${output}.lock`, { recursive: true });
    const pidNs = pidNamespace();
    const twin = { tool: 'sentiment-batch', host: hostname(), pid: process.pid, ...(pidNs ? { pidNs } : {}), since: new Date().toISOString(), lockId: await lockIdentity(`${output}.lock`), lockAt: `${output}.lock` };
    const other = `${JSON.stringify(twin)}\n`;
    writeFileSync(path.join(`${output}.lock`, 'owner.json'), other);
    await lock.release();
    expect(readFileSync(path.join(`${output}.lock`, 'owner.json'), 'utf8')).toBe(other);
  });

  // A run that exits still holding its lock (process.exit, a signal's handler) has it removed by the exit's cleanup
  // (output-lock.ts lockFs rmdirSync), which asks the same question synchronously: a mutation that removed whatever lock
  // was at the path passed every test (testgap11). Another process, as the exit cleanup runs only when a process exits.
  it("at exit, leaves another run's lock at the path alone, and removes its own", () => {
    const module = path.join(REPO_ROOT, 'dist/src/state/output-lock.js');
    const exitHolding = (output: string, swap: boolean) => {
      const script = `const { lockOutput } = await import(${JSON.stringify(module)});
        const [output, swap] = [process.argv[1], process.argv[2] === 'swap'];
        const { mkdirSync, renameSync, writeFileSync } = await import('node:fs');
        const path = await import('node:path');
        await lockOutput(output);
        if (swap) {
          const folder = path.dirname(output);
          renameSync(folder, folder + '.gone');
          mkdirSync(output + '.lock', { recursive: true });
          writeFileSync(path.join(output + '.lock', 'owner.json'), process.argv[3]);
        }
        process.exit(0);`;
      const ended = spawnSync(process.execPath, ['--input-type=module', '-e', script, output, swap ? 'swap' : 'own', other], { encoding: 'utf8' });
      expect([ended.status, ended.stderr]).toEqual([0, '']);
    };
    const other = `${JSON.stringify({ tool: 'sentiment-batch', host: hostname(), pid: process.pid, since: new Date().toISOString() })}\n`;
    const folder = files.path('out');
    mkdirSync(folder);
    exitHolding(path.join(folder, 'out.csv'), true);
    expect(readFileSync(path.join(folder, 'out.csv.lock', 'owner.json'), 'utf8')).toBe(other);

    mkdirSync(files.path('own'));
    exitHolding(path.join(files.path('own'), 'out.csv'), false);
    expect(existsSync(path.join(files.path('own'), 'out.csv.lock'))).toBe(false);
  });
});
