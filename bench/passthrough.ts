/** Child of the pipeline benchmark: the plain csv-parse → csv-stringify pass-through it is compared with. */
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';

const [input, output] = process.argv.slice(2);
const started = performance.now();
let rows = 0;
const parser = parse({ relax_column_count: true });
// A second 'data' listener beside the pipe only counts; it does not change the flow.
parser.on('data', () => (rows += 1));
await pipeline(
  createReadStream(input as string),
  parser,
  stringify(),
  createWriteStream(output as string),
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ rows: rows - 1, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
