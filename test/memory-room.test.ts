import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputRecord } from '../src/io/record.js';
import { OutputFile } from '../src/io/output-file.js';
import { ErrorGuard } from '../src/job/error-guard.js';
import { runPipeline } from '../src/job/pipeline.js';
import { StopController } from '../src/job/stop.js';
import { GarbageNudge, memoryLimit, roomFor, WINDOW_CHARACTERS } from '../src/process/memory-room.js';
import { emptyTotals } from '../src/state/totals.js';
import { tempDir } from './support/cli.js';
import { quietPipelineSlots } from './support/pipeline-slots.js';

const MiB = 1024 * 1024;

describe('roomFor', () => {
  it('bounds the window by a share of a small memory limit and collects as often', () => {
    // docker run --memory 128m, Node 24.22.3: heap_size_limit 259 MiB, above the container's limit.
    expect(roomFor(128 * MiB, 259 * MiB)).toEqual({ windowCharacters: 4 * MiB, collectEvery: 4 * MiB });
    // A heap capped below the limit (--max-old-space-size=48: 51 MiB) bounds it instead.
    expect(roomFor(128 * MiB, 51 * MiB).windowCharacters).toBe(Math.floor((51 * MiB) / 32));
    // Tiny limits keep a window of 1 Mi characters.
    expect(roomFor(16 * MiB, 259 * MiB).windowCharacters).toBe(MiB);
  });

  it('leaves a roomy process as it was: 32 Mi characters, no collection', () => {
    expect(roomFor(undefined, 4144 * MiB)).toEqual({ windowCharacters: WINDOW_CHARACTERS });
    expect(roomFor(1024 * MiB, 4144 * MiB)).toEqual({ windowCharacters: WINDOW_CHARACTERS });
  });
});

describe('memoryLimit', () => {
  const files = (v2?: string, v1?: string) => (file: string) => (file.endsWith('memory.max') ? v2 : file.endsWith('limit_in_bytes') ? v1 : undefined);
  const machine = 24 * 1024 * MiB;

  it('reads cgroup v2 memory.max, then v1 memory.limit_in_bytes', () => {
    expect(memoryLimit(files('134217728\n'), undefined, machine)).toBe(128 * MiB);
    expect(memoryLimit(files(undefined, '134217728\n'), undefined, machine)).toBe(128 * MiB);
  });

  it('takes no limit for "max", v1 unlimited, 0 or past the machine', () => {
    expect(memoryLimit(files('max\n', '9223372036854771712\n'), 0, machine)).toBeUndefined();
    expect(memoryLimit(files(), 2 ** 64, machine)).toBeUndefined();
  });

  it("takes Node's constrainedMemory (a nested cgroup) when it is smaller", () => {
    expect(memoryLimit(files('max\n'), 96 * MiB, machine)).toBe(96 * MiB);
  });

  it('takes the smallest of several limits, whichever file or Node says it', () => {
    expect(memoryLimit(files('268435456\n'), 96 * MiB, machine)).toBe(96 * MiB);
    expect(memoryLimit(files('100663296\n', '268435456\n'), 512 * MiB, machine)).toBe(96 * MiB);
  });
});

describe('GarbageNudge', () => {
  it('collects each time `every` has passed, never without it', () => {
    let collections = 0;
    const nudge = new GarbageNudge(10, () => (collections += 1));
    for (let i = 0; i < 25; i++) nudge.passed(1);
    expect(collections).toBe(2);
    const none = new GarbageNudge(undefined, () => (collections += 100));
    none.passed(1e12);
    expect(collections).toBe(2);
  });
});

describe('the pipeline under a small memory limit', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  // Records of 1 Mi characters each, scored slowly: how many are held at once is what the window lets in.
  async function* large(count: number): AsyncGenerator<InputRecord> {
    for (let i = 0; i < count; i++) yield { index: i, byteEnd: (i + 1) * MiB, text: { ok: true, value: `text ${i}` }, raw: String(i % 10).repeat(MiB) };
  }

  it('holds records up to the room`s characters, collects garbage as they pass, and keeps order', async () => {
    const file = path.join(dir, 'out');
    const output = await OutputFile.create(file);
    let inFlight = 0;
    let most = 0;
    const sent: number[] = [];
    let collections = 0;
    await runPipeline({
      ...quietPipelineSlots(),
      records: large(12),
      score: async (_text, index) => {
        sent.push(index);
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return { kind: 'scored', label: 'POSITIVE', positive: 0.75, negative: 0.25 };
      },
      format: (record) => `${record.index}\n`,
      output,
      stop: new StopController(),
      guard: new ErrorGuard(undefined, 0.5),
      totals: emptyTotals(),
      window: 16,
      room: { windowCharacters: 2 * MiB, garbage: new GarbageNudge(2 * MiB, () => (collections += 1)) },
    });
    await output.close();
    // 2 Mi characters: two records of 1 Mi held, not the 16 the row window lets in (32 Mi characters without a limit).
    expect(most).toBe(2);
    expect(collections).toBe(6);
    expect(sent).toEqual([...Array(12).keys()]);
    expect(readFileSync(file, 'utf8')).toBe([...Array(12).keys()].map((i) => `${i}\n`).join(''));
  });
});
