/**
 * `npm run bench [name ...]`: runs the benchmarks one after another (never in
 * parallel: they measure time and memory on a shared 2-core machine) and
 * prints their figures. Names: pipeline, rate-limit, embedded, embedded-load, local, server-load,
 * tokenizer-cache, shared-limit, shared-limit-cli, paid-answers, report, startup, kill-soak, bytes-fuzz, input-fuzz, checkpoint-edit-fuzz, stop-queue. Not part of `npm test`.
 * docker-stop-soak runs only when named (`npm run bench -- docker-stop-soak`): it needs a Docker engine and the image.
 * `npm run bench -- --help` (or -h) lists them, exit 0.
 */
const ALL = ['embedded', 'embedded-load', 'local', 'tokenizer-cache', 'server-load', 'pipeline', 'rate-limit', 'shared-limit', 'shared-limit-cli', 'paid-answers', 'report', 'startup', 'kill-soak', 'bytes-fuzz', 'input-fuzz', 'checkpoint-edit-fuzz', 'stop-queue'];

/** Run only when named: they need more than this checkout (docker-stop-soak: a Docker engine and the built image). */
const ON_REQUEST = ['docker-stop-soak'];

const chosen = process.argv.slice(2);
// Asked for help: the names, exit 0 (it was "unknown benchmark '--help'", exit 2).
if (chosen.includes('--help') || chosen.includes('-h')) {
  console.log(
    [
      'Usage: npm run bench [-- NAME ...]',
      'Runs the benchmarks named (when none is, every one below but those run only when named), one after another, and prints their figures.',
      'Benchmarks:',
      ...ALL.map((name) => `  ${name}`),
      ...ON_REQUEST.map((name) => `  ${name} (only when named: it needs a Docker engine and the built image)`),
    ].join('\n'),
  );
  process.exit(0);
}
const names = chosen.length > 0 ? chosen : ALL;
const results: Record<string, unknown> = {};
for (const name of names) {
  if (!ALL.includes(name) && !ON_REQUEST.includes(name)) {
    console.error(`unknown benchmark '${name}'; choose from ${[...ALL, ...ON_REQUEST].join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name}`);
  const module = (await import(`./${name}.js`)) as { run(): Promise<Record<string, unknown>> };
  results[name] = await module.run();
}
console.log(`\n${JSON.stringify(results, null, 2)}`);
