/**
 * `npm run build` (after tsc): bundles the compiled program, dist/src, into
 * dist/bin — the files the `sentiment-batch` command, the Docker image and
 * the end-to-end tests run.
 *
 * Why: every command starts a fresh Node process, and loading ~150 small
 * modules one by one (resolve, stat, read, compile each) was about a fifth of
 * the CPU a short run spends (bench/startup.ts compares builds). Bundled, the
 * program's own modules load as a few files; what a command reaches only
 * through a dynamic import() (the Workers AI client, the local model, the
 * report, `serve`) stays in chunks of its own, so a command still loads only
 * what it uses. Packages from node_modules are not bundled: they load as
 * installed (their native parts and own files included), and the
 * startup-modules test keeps seeing which ones a command loads.
 *
 * The inference worker is an entry of its own: the local backend starts it as
 * a worker thread from the file beside its module (scoring/local/worker-pool.ts),
 * which in the bundle is dist/bin/inference-worker.js.
 */
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COMPILED = path.join(ROOT, 'dist', 'src');
export const BUNDLE_DIR = path.join(ROOT, 'dist', 'bin');

/** A bare specifier ("undici", "node:fs") is a package or a built-in: never bundled. */
function isPackage(id: string): boolean {
  return !id.startsWith('.') && !path.isAbsolute(id);
}

async function main(): Promise<void> {
  // Chunk names carry a content hash: without this, chunks of earlier builds would pile up.
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  await build({
    input: {
      cli: path.join(COMPILED, 'cli.js'),
      'inference-worker': path.join(COMPILED, 'scoring', 'local', 'inference-worker.js'),
    },
    platform: 'node',
    external: isPackage,
    logLevel: 'warn',
    output: { dir: BUNDLE_DIR, format: 'esm', sourcemap: true },
  });
  // package.json's "bin": npm makes it executable only when it links it (npx, `npm install -g .`), and the rmSync
  // above replaced that file, so without this every rebuild left the linked command 'Permission denied' (exit 126).
  chmodSync(path.join(BUNDLE_DIR, 'cli.js'), 0o755);
}

await main();
