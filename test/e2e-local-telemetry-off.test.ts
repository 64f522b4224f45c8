/**
 * onnxruntime-node 1.30's Linux library keeps Microsoft telemetry (a device id and ~20 events a run, sent when it can
 * reach Microsoft) under the cache folder, and leaves /tmp/mat-debug-<pid>.log, unless ORT_DISABLE_TELEMETRY is set
 * as it loads. Found 2026-12-07: every `--backend local` run wrote both. A run sets the variable itself
 * (src/scoring/local/runtime-telemetry.ts); one the operator set is left as it is.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepRuntimeTelemetryOff } from '../src/scoring/local/runtime-telemetry.js';
import { REPO_ROOT, runCli } from './support/cli.js';
import { useFileTempDir } from './support/e2e-dir.js';

const MODEL = path.join(REPO_ROOT, 'fixtures/tiny-distilbert');

describe('ONNX Runtime telemetry under --backend local', () => {
  const { dir } = useFileTempDir();

  it('a local run writes no telemetry store (nor the mat-debug file that comes with it)', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,review\n1,great\n2,awful\n');
    const cache = path.join(dir, 'xdg-cache');
    const result = await runCli(['score', input, '--text-column', 'review', '--backend', 'local', '--model-dir', MODEL, '--threads', '1', '-o', path.join(dir, 'out.csv')], {
      env: { XDG_CACHE_HOME: cache, HOME: dir },
    });
    expect(result.code).toBe(0);
    expect(existsSync(path.join(cache, 'Microsoft'))).toBe(false);
    expect(existsSync(path.join(dir, '.cache', 'Microsoft'))).toBe(false);
  }, 120_000);

  it('sets ORT_DISABLE_TELEMETRY unless the operator set it', () => {
    const unset: NodeJS.ProcessEnv = {};
    keepRuntimeTelemetryOff(unset);
    expect(unset.ORT_DISABLE_TELEMETRY).toBe('1');
    const chosen: NodeJS.ProcessEnv = { ORT_DISABLE_TELEMETRY: '0' };
    keepRuntimeTelemetryOff(chosen);
    expect(chosen.ORT_DISABLE_TELEMETRY).toBe('0');
  });
});
