import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { findPackageRoot } from '../src/package-root.js';

/** The repository root, from dist/bench/*.js or bench/*.ts alike. */
export const REPO_ROOT = findPackageRoot(import.meta.url) ?? process.cwd();
export const CLI = path.join(REPO_ROOT, 'dist/src/cli.js');

const WORDS = ['great', 'awful', 'love', 'hate', 'battery', 'screen', 'service', 'room', 'staff', 'price', 'quality', 'fast', 'slow', 'broken', 'perfect', 'noisy', 'clean', 'would', 'buy', 'again', 'never', 'the', 'and', 'was', 'very', 'not'];

/** A deterministic review-like CSV of about `bytes` bytes (quoted fields, commas, some newlines). */
export async function writeSyntheticCsv(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  out.write('id,title,review,rating\n');
  let written = 0;
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  let rows = 0;
  while (written < bytes) {
    const words: string[] = [];
    const length = 8 + (next() % 40);
    for (let i = 0; i < length; i++) words.push(WORDS[next() % WORDS.length] as string);
    if (next() % 10 === 0) words.splice(4, 0, '"quoted"\nline');
    const text = words.join(next() % 3 === 0 ? ', ' : ' ');
    const line = `${rows},Title ${rows % 997},"${text.replace(/"/g, '""')}",${(next() % 5) + 1}\n`;
    written += Buffer.byteLength(line);
    rows += 1;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `sentiment-batch serve` on a free port with the given flags; resolves once it listens. */
export async function startServe(flags: string[]): Promise<{ url: string; stop(): void }> {
  const server = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    server.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(text);
      if (match) resolve(match[1] as string);
    });
    server.on('exit', () => reject(new Error(`serve exited: ${text}`)));
  });
  return { url, stop: () => server.kill('SIGTERM') };
}
