// Checks a scored CSV against its input, for the container test.
//   node test/docker/check-output.mjs INPUT.csv OUTPUT.csv [TEXT_COLUMN] [PREFIX]
// Passes (exit 0, one summary line) when the output has every input record in
// order with its original cells unchanged, plus the five new columns; every
// row with text is scored (a label that agrees with its two scores, which sum
// to 1, and no error) and every row without text carries an error instead.
// Fails (exit 1) naming the first row that differs.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

const [inputPath, outputPath, textColumn = 'review', prefix = 'sentiment'] = process.argv.slice(2);
if (!inputPath || !outputPath) {
  process.stderr.write('usage: check-output.mjs INPUT.csv OUTPUT.csv [TEXT_COLUMN] [PREFIX]\n');
  process.exit(2);
}

function fail(message) {
  process.stderr.write(`check-output: ${message}\n`);
  process.exit(1);
}

const read = (file) => parse(readFileSync(file), { bom: true, relax_column_count: false });
const input = read(inputPath);
const output = read(outputPath);
const [inHeader, ...inRows] = input;
const [outHeader, ...outRows] = output;
if (!inHeader || !outHeader) fail('a file has no header');

const added = ['label', 'positive', 'negative', 'truncated', 'error'].map((s) => `${prefix}_${s}`);
const expectedHeader = [...inHeader, ...added];
if (JSON.stringify(outHeader) !== JSON.stringify(expectedHeader)) {
  fail(`header is ${JSON.stringify(outHeader)}, expected ${JSON.stringify(expectedHeader)}`);
}
if (outRows.length !== inRows.length) fail(`${outRows.length} output records for ${inRows.length} input records`);

const textIndex = inHeader.indexOf(textColumn);
if (textIndex < 0) fail(`no column ${textColumn} in the input`);
const width = inHeader.length;
let scored = 0;
let skipped = 0;
for (let i = 0; i < inRows.length; i += 1) {
  const inRow = inRows[i];
  const outRow = outRows[i];
  const where = `record ${i + 1} (${inRow[0]})`;
  if (JSON.stringify(outRow.slice(0, width)) !== JSON.stringify(inRow)) fail(`${where}: original cells changed`);
  const [label, positive, negative, , error] = outRow.slice(width);
  if ((inRow[textIndex] ?? '').trim() === '') {
    if (label !== '' || !error) fail(`${where}: no text, expected an empty label and an error, got ${JSON.stringify(outRow.slice(width))}`);
    skipped += 1;
    continue;
  }
  const pos = Number(positive);
  const neg = Number(negative);
  if (error) fail(`${where}: failed with ${JSON.stringify(error)}`);
  if (label !== 'POSITIVE' && label !== 'NEGATIVE') fail(`${where}: label ${JSON.stringify(label)}`);
  if (!(pos >= 0 && pos <= 1 && neg >= 0 && neg <= 1) || Math.abs(pos + neg - 1) > 1e-6) {
    fail(`${where}: scores ${positive} / ${negative} are not probabilities summing to 1`);
  }
  if ((label === 'POSITIVE') !== (pos >= neg)) fail(`${where}: label ${label} disagrees with scores ${positive} / ${negative}`);
  scored += 1;
}
process.stdout.write(`rows=${inRows.length} scored=${scored} without_text=${skipped}\n`);
