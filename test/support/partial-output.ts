import { writeFileSync } from 'node:fs';
import { formatCsvRecord } from '../../src/io/csv-format.js';
import { formatJsonlRecord } from '../../src/io/jsonl-format.js';
import type { InputRecord, Outcome } from '../../src/io/record.js';
import { CHECKPOINT_VERSION, hashSettings, type Checkpoint, type OutputSettings } from '../../src/state/checkpoint.js';
import { emptyTotals } from '../../src/state/totals.js';

/**
 * An unfinished job's partial output at `file`, one row an outcome (texts `review "N", with a comma`: quoted in CSV),
 * and the checkpoint that describes it exactly (its length, rows, last row's start and scored count), model `m`.
 */
export function writePartialOutput(file: string, format: 'csv' | 'jsonl', outcomes: Outcome[]): { checkpoint: Checkpoint; texts: string[] } {
  const texts = outcomes.map((_, i) => `review "${i}", with a comma`);
  const settings: OutputSettings = { format, delimiter: format === 'csv' ? ',' : '', text: format === 'csv' ? 'review' : 'r.body', prefix: 'sentiment', modelId: 'm', longText: 'truncate' };
  let body = format === 'csv' ? 'id,review,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n' : '';
  let lastStart = 0;
  outcomes.forEach((outcome, index) => {
    const raw = format === 'csv' ? `${index},"${texts[index]!.replace(/"/g, '""')}"\n` : `${JSON.stringify({ id: index, r: { body: texts[index] } })}\n`;
    const record: InputRecord = { index, byteEnd: 0, text: { ok: true, value: texts[index]! }, raw };
    lastStart = Buffer.byteLength(body);
    body += format === 'csv' ? formatCsvRecord(record, outcome, { delimiter: ',', prefix: 'sentiment', headerWidth: 2 }) : formatJsonlRecord(record, outcome, { field: 'sentiment' });
  });
  writeFileSync(file, body);
  const checkpoint: Checkpoint = {
    version: CHECKPOINT_VERSION,
    tool: 'sentiment-batch',
    input: { path: 'a', identity: { size: 1, mtimeMs: 1, headHash: 'h', tailHash: 't' } },
    settings,
    settingsHash: hashSettings(settings),
    output: { path: 'out', partialPath: file },
    position: { inputOffset: 1, outputBytes: Buffer.byteLength(body), nextIndex: outcomes.length, lastOutputStart: lastStart },
    totals: { ...emptyTotals(), read: outcomes.length, scored: outcomes.filter((o) => o.kind === 'scored').length, failed: outcomes.filter((o) => o.kind !== 'scored').length, requests: outcomes.length },
    completed: false,
    updatedAt: new Date(0).toISOString(),
  };
  return { checkpoint, texts };
}
