import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { compileFunction } from 'node:vm';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

/**
 * vega and vega-lite, loaded from the single-file builds their packages ship
 * (build/vega.min.js, build/vega-lite.min.js: what unpkg serves), not from
 * their ES module entries. The module entry of vega is ~300 files (vega-*,
 * d3-*, 109 of d3-geo-projection alone) that Node resolves, opens, compiles
 * and links one by one: a quarter of the CPU of a `report` to HTML (docs/report.md).
 * The builds are the same version of the same code, in one file each.
 *
 * They are UMD files: evaluated here as CommonJS would, with vega-lite's one
 * require('vega') answered with the vega loaded here (a require() of 'vega'
 * would load its module entry again). Their exports field does not list the
 * build folder, hence the path beside each package's resolved entry.
 */
let loaded: { vega: Vega; vegaLite: VegaLite } | undefined;

export function chartLibrary(): { vega: Vega; vegaLite: VegaLite } {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const vega = evaluateUmd<Vega>(path.join(path.dirname(require.resolve('vega')), 'vega.min.js'), {});
  const vegaLite = evaluateUmd<VegaLite>(path.join(path.dirname(require.resolve('vega-lite')), 'vega-lite.min.js'), { vega });
  loaded = { vega, vegaLite };
  return loaded;
}

/** Runs a UMD file as CommonJS: its exports, its require() answered only from `modules`. */
function evaluateUmd<T>(file: string, modules: Record<string, unknown>): T {
  const module = { exports: {} as Record<string, unknown> };
  const requireOnly = (name: string): unknown => {
    if (name in modules) return modules[name];
    throw new Error(`${path.basename(file)} asks for '${name}', which the report does not provide`);
  };
  const run = compileFunction(readFileSync(file, 'utf8'), ['exports', 'require', 'module'], { filename: file });
  run.call(module.exports, module.exports, requireOnly, module);
  return module.exports as T;
}
