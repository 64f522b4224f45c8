import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './cli.js';

/**
 * Transpiles a module of src/ and everything it imports (relative imports,
 * followed transitively) into `outDir`, keeping the folder layout, so a child
 * process can run the real code: Node 20 cannot import TypeScript, and tests
 * should not depend on a build being fresh. Types are stripped, nothing else.
 */
export function transpileModuleGraph(entry: string, outDir: string): void {
  const pending = [entry];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    for (const match of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(path.join(path.dirname(file), `${match[1] ?? ''}.ts`));
    }
    const output = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const target = path.join(outDir, file.replace(/\.ts$/, '.js'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, output);
  }
}

/**
 * A new folder under the temp folder (`prefix`), which the caller removes, where child processes run the real `entry`
 * of src/ (transpiled with what it imports): an ES module package with the repository's node_modules linked in, and
 * each of `scripts` (file name: source) written at its top, importing e.g. './src/state/cache.js'. A child, not
 * vitest's process, for code that is killed, races other processes, or may abort on a damaged file.
 */
export function transpiledChildFolder(prefix: string, entry: string, scripts: Record<string, string>): string {
  const work = mkdtempSync(path.join(os.tmpdir(), prefix));
  writeFileSync(path.join(work, 'package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  transpileModuleGraph(entry, work);
  for (const [name, source] of Object.entries(scripts)) writeFileSync(path.join(work, name), source);
  return work;
}
