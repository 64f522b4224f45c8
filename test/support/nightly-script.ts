/**
 * docs/container.md's one-file-per-night script, run as written with its folder and the CLI's path moved to a test's
 * (test/nightly-script.test.ts, test/nightly-script-failed-rows.test.ts).
 */
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { builtCli, REPO_ROOT } from './cli.js';

/** The script's text from the docs, with /srv/reviews and /opt/sentiment-batch's CLI replaced. */
export function nightlyScript(dir: string): string {
  const doc = readFileSync(path.join(REPO_ROOT, 'docs/container.md'), 'utf8');
  const script = doc.match(/```sh\n(#!\/bin\/sh\n# \/srv\/reviews\/nightly\.sh[^]*?)```/)?.[1];
  if (script === undefined) throw new Error('no nightly.sh in docs/container.md');
  return script.replace('cd /srv/reviews', `cd '${dir}'`).replace('/opt/sentiment-batch/dist/bin/cli.js', builtCli());
}

/** The UTC date `ago` days back, as the script's `date -u -d "N days ago" +%F` gives it (a run across midnight could differ). */
export const day = (ago: number): string => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);

/** The script written into `dir` and run under cron's PATH (asynchronously: a test's server must go on answering). */
export async function runScript(dir: string, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; status: number | null }> {
  const file = path.join(dir, 'nightly.sh');
  writeFileSync(file, nightlyScript(dir));
  chmodSync(file, 0o755);
  const child = spawn(file, { env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { stdout, stderr, status };
}

/** The script's own lines (not the CLI's summaries and JSON logs), without their time stamps. */
export const scriptLines = (text: string, days: string[]): string[] =>
  text.split('\n').filter((line) => /^\S+Z \d{4}-\d\d-\d\d /.test(line) && days.some((d) => line.includes(` ${d} `))).map((line) => line.replace(/^\S+Z /, ''));

export const csv = (texts: string[]): string => `id,review\n${texts.map((text, i) => `${i + 1},${text}`).join('\n')}\n`;
