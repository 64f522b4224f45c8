/**
 * Load time of the embedded model: in this process (alternating rounds, the
 * median and the first, JIT-cold load) and in fresh processes (one load each:
 * what a CLI run pays). With EMBEDDED_LOAD_BASELINE pointing at another built
 * checkout (its dist/ and model/ file, e.g. main's), both are measured side
 * by side, alternating, and the ratio printed: on a shared machine only a
 * side-by-side ratio means much. The load average is printed with the figures.
 *
 *   npm run bench -- embedded-load
 *   EMBEDDED_LOAD_BASELINE=/path/to/main-checkout npm run bench -- embedded-load
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultModelPath, findPackageRoot } from '../src/model/locate.js';
import { describeLoad, median } from './support.js';

// Even counts: the builds alternate which is measured first, and the first of a pair is the slower (it runs after
// the other's garbage, or colder), so an odd count gave the build in slot 0 one first place more than the other.
const IN_PROCESS_ROUNDS = 12;
const FRESH_PROCESSES = 10;

interface Candidate {
  name: string;
  /** dist/src/scoring/embedded.js of the build. */
  loader: string;
  modelFile: string;
}

/** A model's load up to its first answer: since lowfix86 the weights are decoded at the first text, not by the load alone. */
type Loader = (file: string) => { scoreText(text: string): unknown };

function timeLoad(load: Loader, file: string): number {
  const started = performance.now();
  load(file).scoreText('');
  return performance.now() - started;
}

/** One load in a new Node process, after its imports: milliseconds. */
function freshProcessLoad(candidate: Candidate): number {
  const script =
    `const { loadEmbeddedModel } = await import(${JSON.stringify(pathToFileURL(candidate.loader).href)});` +
    `const started = performance.now(); loadEmbeddedModel(${JSON.stringify(candidate.modelFile)}).scoreText('');` +
    'console.log(performance.now() - started);';
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return Number(out.trim());
}

export async function run(): Promise<Record<string, unknown>> {
  const root = findPackageRoot() ?? process.cwd();
  const candidates: Candidate[] = [{ name: 'this build', loader: path.join(root, 'dist', 'src', 'scoring', 'embedded.js'), modelFile: defaultModelPath() }];
  const baseline = process.env['EMBEDDED_LOAD_BASELINE'];
  if (baseline) {
    const dir = path.resolve(baseline);
    candidates.push({ name: `baseline ${dir}`, loader: path.join(dir, 'dist', 'src', 'scoring', 'embedded.js'), modelFile: path.join(dir, 'model', 'sst2-embedded.bin') });
  }
  const loadAverageBefore = describeLoad();
  const loaders: Loader[] = [];
  for (const c of candidates) loaders.push(((await import(pathToFileURL(c.loader).href)) as { loadEmbeddedModel: Loader }).loadEmbeddedModel);

  const inProcess: number[][] = candidates.map(() => []);
  for (let round = 0; round < IN_PROCESS_ROUNDS; round++) {
    // Alternate which goes first, so that neither always runs right after the other's garbage.
    const order = round % 2 === 0 ? candidates.keys() : [...candidates.keys()].reverse();
    for (const k of order) inProcess[k]!.push(timeLoad(loaders[k] as Loader, (candidates[k] as Candidate).modelFile));
  }
  const fresh: number[][] = candidates.map(() => []);
  for (let p = 0; p < FRESH_PROCESSES; p++) {
    const order = p % 2 === 0 ? candidates.keys() : [...candidates.keys()].reverse();
    for (const k of order) fresh[k]!.push(freshProcessLoad(candidates[k] as Candidate));
  }

  const figures: Record<string, unknown> = { loadAverageBefore, loadAverageAfter: describeLoad() };
  console.log(`load average (1/5/15 min) before ${loadAverageBefore}, after ${figures.loadAverageAfter as string}`);
  candidates.forEach((c, k) => {
    const f = {
      modelFile: c.modelFile,
      firstInProcessMs: Number((inProcess[k]![0] as number).toFixed(1)),
      medianInProcessMs: Number(median(inProcess[k]!).toFixed(1)),
      freshProcessMedianMs: Number(median(fresh[k]!).toFixed(1)),
      freshProcessMs: fresh[k]!.map((ms) => Number(ms.toFixed(1))),
    };
    figures[c.name] = f;
    console.log(
      `  ${c.name}: in-process median of ${IN_PROCESS_ROUNDS} ${f.medianInProcessMs} ms (first ${f.firstInProcessMs} ms); ` +
        `fresh process, one load each, median of ${FRESH_PROCESSES} ${f.freshProcessMedianMs} ms (${f.freshProcessMs.join(', ')})`,
    );
  });
  if (candidates.length === 2) {
    const ratio = (k: number, of: number[][]) => median(of[k]!);
    figures.inProcessRatio = Number((ratio(0, inProcess) / ratio(1, inProcess)).toFixed(3));
    figures.freshProcessRatio = Number((ratio(0, fresh) / ratio(1, fresh)).toFixed(3));
    console.log(`  this build / baseline: in-process ${figures.inProcessRatio as number}, fresh process ${figures.freshProcessRatio as number}`);
  }
  return figures;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
