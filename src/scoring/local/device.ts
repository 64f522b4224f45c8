/**
 * `--device cuda` needs ONNX Runtime's CUDA execution provider, which
 * onnxruntime-node does not ship in its npm package: its install script
 * downloads it (this project skips that script so installs need only the npm
 * registry). Say so plainly instead of failing deep inside the runtime.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigError, SentimentBatchError } from '../../errors.js';
import { runtimeInstallFault } from './runtime-install.js';
import { capitalized } from '../../wording/capitalized.js';

/** How the refusal names the setting: `--device cuda` and `use --device cpu`, or a job file's key (config/setting-names.ts). */
export interface DeviceWords {
  given: string;
  useCpu: string;
}

const FLAG_WORDS: DeviceWords = { given: '--device cuda', useCpu: 'use --device cpu' };

export function checkDevice(device: 'cpu' | 'cuda', words: DeviceWords = FLAG_WORDS): void {
  if (device === 'cpu') return;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new ConfigError(`${words.given}: onnxruntime-node has a CUDA provider for linux/x64 only, not ${process.platform}/${process.arch}; ${words.useCpu}`);
  }
  const provider = path.join(runtimeBinFolder(), 'libonnxruntime_providers_cuda.so');
  if (!existsSync(provider)) {
    throw new ConfigError(
      `${words.given}: no GPU execution provider is installed (${provider} is missing). It needs CUDA 12 and cuDNN 9 on the machine and ` +
        `onnxruntime-node installed with its install script allowed (ONNXRUNTIME_NODE_INSTALL=cuda12, which downloads it). ${capitalized(words.useCpu)} meanwhile.`,
    );
  }
}

/** node_modules/onnxruntime-node/bin/napi-v6/<platform>/<arch>: where its native libraries are. */
function runtimeBinFolder(): string {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('onnxruntime-node');
  } catch (error) {
    // Without the package, --device cuda ended in 'internal error (a bug, please report it)' and a stack trace.
    const fault = runtimeInstallFault(error as Error);
    if (fault === undefined) throw error;
    throw new SentimentBatchError('model_file', `cannot start the local model: ${fault}`, { cause: error });
  }
  return path.join(path.dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
}
