/**
 * `--device cuda` needs ONNX Runtime's CUDA execution provider, which
 * onnxruntime-node does not ship in its npm package: its install script
 * downloads it (this project skips that script so installs need only the npm
 * registry). Say so plainly instead of failing deep inside the runtime.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigError } from '../../errors.js';

export function checkDevice(device: 'cpu' | 'cuda'): void {
  if (device === 'cpu') return;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new ConfigError(`--device cuda: onnxruntime-node has a CUDA provider for linux/x64 only, not ${process.platform}/${process.arch}; use --device cpu`);
  }
  const provider = path.join(runtimeBinFolder(), 'libonnxruntime_providers_cuda.so');
  if (!existsSync(provider)) {
    throw new ConfigError(
      `--device cuda: no GPU execution provider is installed (${provider} is missing). It needs CUDA 12 and cuDNN 9 on the machine and ` +
        'onnxruntime-node installed with its install script allowed (ONNXRUNTIME_NODE_INSTALL=cuda12, which downloads it). Use --device cpu meanwhile.',
    );
  }
}

/** node_modules/onnxruntime-node/bin/napi-v6/<platform>/<arch>: where its native libraries are. */
export function runtimeBinFolder(): string {
  const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
  return path.join(path.dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
}
