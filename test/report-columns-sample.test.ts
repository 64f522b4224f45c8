import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scoreCommand } from '../src/commands/score.js';
import { sampleJsonl } from '../src/preflight/jsonl-sample.js';
import { REPO_ROOT, tempDir } from './support/cli.js';

// Counts the start-up samples of the JSONL input while keeping what they read.
vi.mock('../src/preflight/jsonl-sample.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/preflight/jsonl-sample.js')>();
  return { ...real, sampleJsonl: vi.fn(real.sampleJsonl) };
});

const io = () => {
  let out = '';
  const stdout = new Writable({ write: (chunk: Buffer, _encoding, done) => ((out += chunk.toString()), done()) });
  return { io: { stdout, env: {}, onSignal: () => () => undefined }, out: () => out };
};

describe('score --report-by on JSONL input', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    vi.mocked(sampleJsonl).mockClear();
  });
  afterEach(() => cleanup());

  const input = path.join(REPO_ROOT, 'fixtures/reviews.jsonl');
  // The report after the run samples its output, another file: only the input's samples count here.
  const samplesOfInput = () => vi.mocked(sampleJsonl).mock.calls.filter(([file]) => path.resolve(file) === input).length;
  const args = (...more: string[]) => ['score', input, '--text-field', 'review.body', '-o', path.join(dir, 'out.jsonl'), '--backend', 'embedded', '--log-level', 'silent', ...more];

  it('reads the first lines once at start-up: the report field is checked in the sample the text field is', async () => {
    const { io: cli, out } = io();
    const report = path.join(dir, 'r.json');
    expect(await scoreCommand('score', args('--report', report, '--report-by', 'rating').slice(1), cli)).toBe(0);
    expect(out()).toMatch(/^Report: /m);
    expect(JSON.parse(readFileSync(report, 'utf8')).groups.column).toBe('rating');
    expect(samplesOfInput()).toBe(1);
  });

  it('a report field none of the sampled records has is still refused before anything is scored', async () => {
    const { io: cli } = io();
    await expect(scoreCommand('score', args('--report', path.join(dir, 'r.html'), '--report-by', 'ratign').slice(1), cli)).rejects.toThrow(/--report-by 'ratign'.*rating/);
    expect(samplesOfInput()).toBe(1);
  });
});
