import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
