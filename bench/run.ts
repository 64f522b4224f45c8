/**
 * `npm run bench [name ...]`: runs the benchmarks one after another (never in
 * parallel: they measure time and memory on a shared 2-core machine) and
 * prints their figures. Names: pipeline, rate-limit, embedded, embedded-load, local, server-load,
 * tokenizer-cache, shared-limit, shared-limit-cli, paid-answers, report, startup, kill-soak, bytes-fuzz. Not part of `npm test`.
 */
const ALL = ['embedded', 'embedded-load', 'local', 'tokenizer-cache', 'server-load', 'pipeline', 'rate-limit', 'shared-limit', 'shared-limit-cli', 'paid-answers', 'report', 'startup', 'kill-soak', 'bytes-fuzz'];

const chosen = process.argv.slice(2);
const names = chosen.length > 0 ? chosen : ALL;
const results: Record<string, unknown> = {};
for (const name of names) {
  if (!ALL.includes(name)) {
    console.error(`unknown benchmark '${name}'; choose from ${ALL.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name}`);
  const module = (await import(`./${name}.js`)) as { run(): Promise<Record<string, unknown>> };
  results[name] = await module.run();
}
console.log(`\n${JSON.stringify(results, null, 2)}`);
