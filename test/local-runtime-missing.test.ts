import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeInstallFault } from '../src/scoring/local/runtime-install.js';
import { REPO_ROOT, cleanEnv, tempDir } from './support/cli.js';

const MODEL = path.join(REPO_ROOT, 'fixtures/tiny-distilbert');
const BINARIES = path.join('bin', 'napi-v6', process.platform, process.arch);

// An installation whose onnxruntime-node lacked its native library (a node_modules copied in part, an install that
// pruned the wrong platform's folder): exit 2, 'cannot start the local model: libonnxruntime.so.1: cannot open shared
// object file: No such file or directory', and nothing of what to do.
describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('score --backend local in an installation without ONNX Runtime\'s library', () => {
  let dir: string;
  let cleanup: () => void;
  let root: string;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    // A copy of this installation: the built CLI and package.json copied (it finds its package root by them), the other
    // packages linked, onnxruntime-node copied without libonnxruntime.so.1 (a link would resolve to the real one).
    root = path.join(dir, 'install');
    mkdirSync(path.join(root, 'node_modules'), { recursive: true });
    copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(root, 'package.json'));
    symlinkSync(path.join(REPO_ROOT, 'model'), path.join(root, 'model'));
    cpSync(path.join(REPO_ROOT, 'dist', 'bin'), path.join(root, 'dist', 'bin'), { recursive: true });
    for (const entry of readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
      if (entry !== 'onnxruntime-node') symlinkSync(path.join(REPO_ROOT, 'node_modules', entry), path.join(root, 'node_modules', entry));
    }
    const runtime = path.join(REPO_ROOT, 'node_modules', 'onnxruntime-node');
    const copy = path.join(root, 'node_modules', 'onnxruntime-node');
    cpSync(runtime, copy, { recursive: true, filter: (from) => path.relative(runtime, from) !== 'bin' });
    mkdirSync(path.join(copy, BINARIES), { recursive: true });
    copyFileSync(path.join(runtime, BINARIES, 'onnxruntime_binding.node'), path.join(copy, BINARIES, 'onnxruntime_binding.node'));
  });
  afterAll(() => cleanup());

  it('says that ONNX Runtime is missing from the installation and to reinstall (exit 2)', async () => {
    const input = path.join(dir, 'in.csv');
    writeFileSync(input, 'id,review\n1,great phone\n');
    const cli = path.join(root, 'dist', 'bin', 'cli.js');
    const args = [cli, 'score', input, '--text-column', 'review', '--backend', 'local', '--model-dir', MODEL, '--threads', '1', '-o', path.join(dir, 'out.csv')];
    const failed = await promisify(execFile)(process.execPath, args, { cwd: dir, env: cleanEnv() }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toMatch(
      /^sentiment-batch: cannot start the local model: ONNX Runtime \(the onnxruntime-node package\) is missing or damaged in this installation \(libonnxruntime\.so\.1: [^)]+\): reinstall the dependencies \(`npm ci` in (\S+); a Docker image: build it again\), or score with another backend \(--backend embedded or workers-ai\)\n$/,
    );
    expect(/`npm ci` in (\S+);/.exec(failed?.stderr ?? '')?.[1]).toBe(root);
  });

  // Without the package, --device cuda (which looks for its CUDA library first) was 'internal error (a bug, please
  // report it)' with a stack trace, exit 1.
  it('without the package at all, --device cuda says the same, not an internal error', async () => {
    rmSync(path.join(root, 'node_modules', 'onnxruntime-node'), { recursive: true });
    const input = path.join(dir, 'in-cuda.csv');
    writeFileSync(input, 'id,review\n1,great phone\n');
    const cli = path.join(root, 'dist', 'bin', 'cli.js');
    const args = [cli, 'score', input, '--text-column', 'review', '--backend', 'local', '--device', 'cuda', '--model-dir', MODEL, '-o', path.join(dir, 'out-cuda.csv')];
    const failed = await promisify(execFile)(process.execPath, args, { cwd: dir, env: cleanEnv() }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toBe(
      `sentiment-batch: cannot start the local model: ONNX Runtime (the onnxruntime-node package) is missing or damaged in this installation (Cannot find module 'onnxruntime-node'): ` +
        `reinstall the dependencies (\`npm ci\` in ${root}; a Docker image: build it again), or score with another backend (--backend embedded or workers-ai)\n`,
    );
  });
});

describe('what a fault of ONNX Runtime\'s installation says', () => {
  const fault = (code: string, message: string): Error => Object.assign(new Error(message), { code });

  it('a missing module: its first line, not the require stack', () => {
    const said = runtimeInstallFault(fault('MODULE_NOT_FOUND', "Cannot find module '../bin/napi-v6/linux/x64/onnxruntime_binding.node'\nRequire stack:\n- /app/node_modules/onnxruntime-node/dist/binding.js"), '/app');
    expect(said).toBe(
      "ONNX Runtime (the onnxruntime-node package) is missing or damaged in this installation (Cannot find module '../bin/napi-v6/linux/x64/onnxruntime_binding.node'): " +
        'reinstall the dependencies (`npm ci` in /app; a Docker image: build it again), or score with another backend (--backend embedded or workers-ai)',
    );
    expect(runtimeInstallFault(fault('ERR_MODULE_NOT_FOUND', "Cannot find package 'onnxruntime-node' imported from /app/dist/bin/inference-worker.js"), '/app')).toContain(
      "(Cannot find package 'onnxruntime-node' imported from /app/dist/bin/inference-worker.js): reinstall",
    );
  });

  it('a system whose C library cannot link it: reinstalling would not help, so it is not said', () => {
    const said = runtimeInstallFault(fault('ERR_DLOPEN_FAILED', "/lib/x86_64-linux-gnu/libm.so.6: version `GLIBC_2.38' not found (required by /app/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1)"), '/app');
    expect(said).toMatch(/^ONNX Runtime cannot be loaded on this system \(.*GLIBC_2\.38.*\): onnxruntime-node's Linux libraries need a recent glibc/);
    expect(said).not.toContain('npm ci');
  });

  it('anything else is not taken for one', () => {
    expect(runtimeInstallFault(fault('ERR_WORKER_OUT_OF_MEMORY', 'Worker terminated due to reaching memory limit: JS heap out of memory'))).toBeUndefined();
    expect(runtimeInstallFault(fault('MODULE_NOT_FOUND', "Cannot find module 'lmdb'"))).toBeUndefined();
  });
});
