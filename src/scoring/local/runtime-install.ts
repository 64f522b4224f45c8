/**
 * ONNX Runtime's own files missing from this installation, said with what to do. onnxruntime-node left out of
 * node_modules (an install that omitted it, a node_modules copied without it), or its native library or binding
 * gone or damaged (a partial copy, a build that pruned the wrong platform's folder): the backend said only the
 * loader's words, 'cannot start the local model: libonnxruntime.so.1: cannot open shared object file: No such file
 * or directory', exit 2, and nothing of how to mend it.
 */
import { findPackageRoot } from '../../package-root.js';

/** The words for `error` (what the inference worker threw as it loaded onnxruntime-node), or undefined when it is no such fault. */
export function runtimeInstallFault(error: Error, root: string | undefined = findPackageRoot()): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  // The loader's first line: a missing module's 'Require stack' follows it, one file a line.
  const said = (error.message.split('\n')[0] ?? '').trim();
  const absent = (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && /onnxruntime/.test(error.message);
  if (code !== 'ERR_DLOPEN_FAILED' && !absent) return undefined;
  const otherBackend = 'or score with another backend (--backend embedded or workers-ai)';
  // A library this system's C library cannot link (too old a glibc, musl's Alpine): reinstalling fetches the same files.
  if (/GLIBC|GLIBCXX|CXXABI|required by|Error relocating|symbol not found/i.test(error.message)) {
    return `ONNX Runtime cannot be loaded on this system (${said}): onnxruntime-node's Linux libraries need a recent glibc (Alpine's musl will not do); run in the Docker image, ${otherBackend}`;
  }
  const where = root === undefined ? '' : ` in ${root}`;
  return (
    `ONNX Runtime (the onnxruntime-node package) is missing or damaged in this installation (${said}): ` +
    `reinstall the dependencies (\`npm ci\`${where}; a Docker image: build it again), ${otherBackend}`
  );
}
