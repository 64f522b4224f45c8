/**
 * The schedules in jobs/cron/ run as written, with a stand-in for `docker` (the container test runs the image
 * itself): the cron line's log gives each run's exit code, the systemd unit's time budget ends a run with a code
 * the unit counts as success. What an operator reads there must mean what docs/container.md's exit table says.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/cli.js';

const repo = path.resolve(import.meta.dirname, '..');
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** A `docker` that stands for `docker run` of the image: it runs until SIGTERM (passed on to the container by docker run's signal proxy: exit 130) or for STUB_SECONDS, then exits STUB_EXIT. */
const DOCKER_STUB = `#!/bin/sh
trap 'exit 130' TERM
sleep "\${STUB_SECONDS:-0}" &
wait $!
exit "\${STUB_EXIT:-0}"
`;

describe('jobs/cron examples, run as written with a stand-in docker', () => {
  let dir: string;
  let cleanup: () => void;
  let bin: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'docker'), DOCKER_STUB);
    chmodSync(path.join(bin, 'docker'), 0o755);
  });
  afterAll(() => cleanup());
  const env = (extra: Record<string, string> = {}) => ({ PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, ...extra });

  /** The /etc/cron.d line's command, as cron's shell gets it (\\% is %), with the lock and the log moved under `dir`. */
  function cronCommand(): string {
    const text = readFileSync(path.join(repo, 'jobs/cron/sentiment-batch.cron'), 'utf8');
    const line = text.split('\n').find((l) => /^[\d*]/.test(l));
    if (!line) throw new Error('no schedule line in jobs/cron/sentiment-batch.cron');
    // minute hour day month weekday user command
    const command = line.replace(/^(\S+\s+){6}/, '');
    return command.replaceAll('\\%', '%').replaceAll('/run/lock/', `${dir}/`).replaceAll('/var/log/', `${dir}/`);
  }
  const logged = () => readFileSync(path.join(dir, 'sentiment-batch.log'), 'utf8').trim().split('\n').at(-1) ?? '';

  it.skipIf(!has('flock'))("logs the run's own exit code", () => {
    const r = spawnSync('/bin/sh', ['-c', cronCommand()], { env: env({ STUB_EXIT: '130' }) });
    expect(r.status).toBe(0);
    expect(logged()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ sentiment-batch exited 130$/);
  });

  it.skipIf(!has('flock'))('logs 75 (try later), not 1 (a bug), when last night\'s run still holds the lock', async () => {
    // The overlap the cron line's flock prevents: the CLI itself would exit 75 for it (another run holds the output's lock).
    // flock's own code for it was 1, which the same file's legend reads as a bug.
    const lock = path.join(dir, 'sentiment-batch.lock');
    const holder = spawn('flock', [lock, 'sleep', '30'], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && spawnSync('flock', ['-n', lock, 'true']).status === 0; i++) await new Promise((r) => setTimeout(r, 50));
      const r = spawnSync('/bin/sh', ['-c', cronCommand()], { env: env() });
      expect(r.status).toBe(0);
      expect(logged()).toMatch(/ sentiment-batch exited 75$/);
    } finally {
      holder.kill();
    }
  });
});

describe('jobs/cron/sentiment-batch.service: the night\'s time budget', () => {
  const unit = readFileSync(path.join(repo, 'jobs/cron/sentiment-batch.service'), 'utf8');
  /** A setting's value, continuation lines joined. */
  const setting = (name: string) => {
    const match = unit.replace(/\\\n\s*/g, ' ').match(new RegExp(`^${name}=(.*)$`, 'm'));
    return match?.[1]?.trim();
  };
  const seconds = (span: string) =>
    [...span.matchAll(/(\d+)\s*(h|min|s)/g)].reduce((total, [, n, unitName]) => total + Number(n) * ({ h: 3600, min: 60, s: 1 } as Record<string, number>)[unitName as string]!, 0);

  it.skipIf(!has('timeout'))('ends an unfinished run with an exit code the unit counts as success, before the start timeout fails the unit', () => {
    // TimeoutStartSec= alone was the budget: systemd then sends SIGTERM itself (ExecStop= skipped) and marks the unit
    // failed (Result: timeout) whatever the exit code, so every long export alerted through OnFailure= each night.
    const start = setting('ExecStart') ?? '';
    const budget = start.match(/^\/usr\/bin\/timeout --preserve-status (\S+) \/usr\/bin\/docker run /);
    expect(budget, `ExecStart=${start}`).not.toBeNull();
    expect(seconds(setting('TimeoutStartSec') ?? '')).toBeGreaterThan(seconds(budget![1]!) + 45);
    // Run it with a 1 s budget and a stand-in docker that would work for 30 s.
    const { dir, cleanup } = tempDir();
    try {
      const stub = path.join(dir, 'docker');
      writeFileSync(stub, DOCKER_STUB);
      chmodSync(stub, 0o755);
      const command = start.replace(budget![0]!, `/usr/bin/timeout --preserve-status 1s ${stub} run `);
      const r = spawnSync('/bin/sh', ['-c', command], { env: { PATH: '/usr/bin:/bin', STUB_SECONDS: '30', STUB_EXIT: '0' } });
      // The budget ended it: the stand-in exits 130 only from its SIGTERM trap (left to its 30 s, it exits 0), so no
      // clock is needed to tell a run the budget ended from one that ran its course.
      expect(r.status).toBe(130);
      expect((setting('SuccessExitStatus') ?? '').split(/\s+/)).toContain(String(r.status));
    } finally {
      cleanup();
    }
  });
});

describe('jobs/cron/sentiment-batch.service: ExecStop= after a run that ended by itself', () => {
  const unit = readFileSync(path.join(repo, 'jobs/cron/sentiment-batch.service'), 'utf8');

  it("does not fail the unit when docker stop finds the container gone (docker run --rm removed it)", () => {
    // systemd runs ExecStop= after every run of a Type=oneshot unit, also one whose process exited by itself (0, 75,
    // 130). By then `docker run --rm` has removed the container, so `docker stop` says "No such container" and exits 1,
    // and a failing ExecStop= leaves the unit failed (Result: exit-code): every night, OnFailure= alerts and
    // `systemctl start` exits 1 (seen with systemd 252, Debian 12's). The `-` prefix makes systemd ignore that exit.
    const stops = unit.split('\n').filter((line) => line.startsWith('ExecStop='));
    expect(stops.length).toBeGreaterThan(0);
    for (const line of stops) expect(line, line).toMatch(/^ExecStop=-\/usr\/bin\/docker stop /);
    expect(unit).toMatch(/--rm --name sentiment-batch /);
  });

  it('stops the container with a flag every docker client knows', () => {
    // `docker stop --time` is deprecated in docker 28 (a warning in the journal on every stop); -t is the flag's short
    // name in every version (--time before, --timeout since).
    expect(unit).not.toMatch(/docker stop --time /);
    expect(unit.match(/docker stop -t 30 sentiment-batch/g)?.length).toBe(2);
  });
});

describe('the schedule examples agree with the job file and the image they run', () => {
  const read = (file: string) => readFileSync(path.join(repo, file), 'utf8');
  const withoutDescription = (text: string) => {
    const { description: _description, ...job } = JSON.parse(text) as Record<string, unknown>;
    return job;
  };

  it("the ConfigMap's job file is jobs/docker-nightly.json (but its description), mounted where the CronJob runs it", () => {
    // The ConfigMap repeats the job file for `kubectl apply -f jobs/kubernetes/`: an edit to one alone would make the
    // CronJob run another job than the docker examples (another cache, output or text column).
    const configMap = read('jobs/kubernetes/configmap.yaml');
    const block = configMap.match(/^( +)docker-nightly\.json: \|\n((?:\1 +.*\n|\n)+)/m);
    expect(block, 'docker-nightly.json: | in configmap.yaml').not.toBeNull();
    const indent = block![2]!.match(/^ */)![0].length;
    const embedded = block![2]!.split('\n').map((line) => line.slice(indent)).join('\n');
    expect(withoutDescription(embedded)).toEqual(withoutDescription(read('jobs/docker-nightly.json')));

    const cronJob = read('jobs/kubernetes/cronjob.yaml');
    expect(cronJob).toMatch(/args: \["run", "\/jobs\/docker-nightly\.json"\]/);
    expect(cronJob).toMatch(/- name: jobs\n +mountPath: \/jobs\n/);
    expect(cronJob).toMatch(/configMap:\n +name: sentiment-batch-jobs\n/);
    expect(configMap).toMatch(/^ +name: sentiment-batch-jobs$/m);
  });

  it("cron, systemd and the CronJob run the image tag of package.json's version", () => {
    // docs/container.md: "The examples in jobs/cron/ run the versioned tag", built with `-t sentiment-batch:VERSION`.
    const { version } = JSON.parse(read('package.json')) as { version: string };
    for (const file of ['jobs/cron/sentiment-batch.cron', 'jobs/cron/sentiment-batch.service', 'jobs/kubernetes/cronjob.yaml']) {
      const tags = [...read(file).matchAll(/sentiment-batch:(\d+\.\d+\.\d+\S*)/g)].map((m) => m[1]);
      expect(tags.length, `${file} names a versioned image`).toBeGreaterThan(0);
      expect(new Set(tags), file).toEqual(new Set([version]));
    }
    expect(read('docs/container.md')).toContain(`docker build -t sentiment-batch -t sentiment-batch:${version} .`);
  });
});
