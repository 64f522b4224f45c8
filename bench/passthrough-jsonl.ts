/**
 * Child of the pipeline benchmark: the plain JSONL pass-through the job is compared with. Each line parsed, an
 * answer field added, the object written back out: what a minimal scorer of JSONL does, without the job's exact
 * bytes, checkpoints, answer journal or per-row outcomes.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const [input, output] = process.argv.slice(2);
const started = performance.now();
let rows = 0;
const out = createWriteStream(output as string);
for await (const line of createInterface({ input: createReadStream(input as string), crlfDelay: Infinity })) {
  if (line.trim() === '') continue;
  const value = JSON.parse(line) as Record<string, unknown>;
  value['sentiment'] = { label: 'POSITIVE', positive: 0.8, negative: 0.2 };
  rows += 1;
  if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ rows, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
