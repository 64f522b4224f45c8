/**
 * A JSONL input's source (openSource): its start-up checks on a sample of its records (the text field there, not
 * objects nor numbers, not already scored, the report's fields), the warnings on what its texts look like, and its
 * records read and written back with the answer field added.
 */
import type { JobSettings } from '../config/options.js';
import { jobFileChange, textNamed } from '../config/setting-names.js';
import { jsonlRecordFormatter } from '../io/jsonl-format.js';
import { readJsonlRecords } from '../io/jsonl-reader.js';
import { describeTextChoice } from '../io/text-parts.js';
import { refuseScoredJsonl } from '../preflight/already-scored.js';
import { lookFurtherFor } from '../preflight/field-look-ahead.js';
import { checkTextFields, refuseNumericTextFields, refuseObjectTextFields, sampleFieldTexts } from '../preflight/jsonl-fields.js';
import { refuseNotJsonLines, sampleJsonl } from '../preflight/jsonl-sample.js';
import { leftOutFields } from '../preflight/left-out-fields.js';
import { leftOutWarning } from '../preflight/left-out-warning.js';
import { jsonlSampleWithin } from '../preflight/limit-sample.js';
import { jsonlReportValues, refuseUnreadReportValues, wantsReportValues } from '../preflight/report-values.js';
import { checkReportColumns } from '../report/settings-check.js';
import { KeptReader } from './kept-reader.js';
import { firstRecords } from './limit.js';
import { RenamedTextField, withTextField } from './renamed-text-field.js';
import type { Source, SourceInput } from './source.js';
import { allowNumericTextAdvice, textLookSummary, warnTextLooks } from './source-text-looks.js';
import { jsonlTextElsewhere } from './text-elsewhere.js';
import { sayingLeftOut } from './row-plan.js';

/** A JSONL input's source, after its start-up checks; `warn` says the warnings on its texts (none when absent). */
export async function openJsonlSource(settings: JobSettings, input: SourceInput, warn: ((line: string) => void) | undefined): Promise<Source> {
  const { path: inputPath, gzip, text, change, recordBytesFrom, quietBytesFrom, readingFile } = input;
  const sample = await sampleJsonl(inputPath, gzip, text, settings.input);
  refuseNotJsonLines(sample, change);
  const named = textNamed(settings, true);
  // A field none of the first records has is looked for further on before it is refused (field-look-ahead.ts).
  const further = await lookFurtherFor(inputPath, gzip, text, sample);
  checkTextFields(sample, text, named, further);
  refuseObjectTextFields(sample, text, named);
  if (!settings.allowNumericText) refuseNumericTextFields(sample, text, named, allowNumericTextAdvice(settings), settings.limit);
  const read = jsonlSampleWithin(sample, settings.limit);
  const looks = warn ? warnTextLooks(settings, sampleFieldTexts(read, text), text, { records: read.objects.length }, warn) : undefined;
  const leftOut = leftOutFields(sample, text, further);
  // Said at start-up and again in the summary (completed-pass-summary.ts), where a nightly monitor reads it; of the
  // records the run scores (--limit), as the warnings above: the set left out stays the whole sample's (every start reads rows alike).
  const mistyped = leftOutWarning(read, text, leftOut, named, further);
  if (mistyped !== undefined) warn?.(mistyped);
  refuseScoredJsonl(sample, settings.prefix, jobFileChange(settings, 'prefix'));
  checkReportColumns(settings, { sample });
  if (wantsReportValues(settings)) refuseUnreadReportValues(settings, jsonlReportValues(settings, sample));
  // The records this run reads without the field, judged against those with it for a field renamed partway.
  const renamed = new RenamedTextField([...withTextField(sample, text), ...(further?.having ?? [])], text, named);
  const reader = new KeptReader((startOffset, startIndex) => readJsonlRecords(recordBytesFrom(startOffset), { textField: text, startOffset, startIndex, answerField: settings.prefix, leftOut, onLeftOut: renamed.look }), gzip);
  return {
    format: 'jsonl',
    compressed: gzip,
    delimiter: '',
    text: describeTextChoice(text),
    firstRecordOffset: 0,
    headerBytes: Buffer.alloc(0),
    outputHeader: '',
    records: (startOffset, startIndex, endingOwed) => firstRecords(reader.records(startOffset, startIndex), settings.limit, endingOwed),
    recordAt: (offset) => reader.recordAt(offset),
    quietRecords: (startOffset, startIndex) => firstRecords(readJsonlRecords(quietBytesFrom(startOffset), { textField: text, startOffset, startIndex, answerField: settings.prefix, leftOut }), settings.limit),
    release: () => reader.release(),
    readingFile,
    formatRecord: sayingLeftOut(jsonlRecordFormatter({ field: settings.prefix })),
    textElsewhere: jsonlTextElsewhere(sample, text),
    ...(mistyped !== undefined ? { leftOutWarning: mistyped } : {}),
    ...textLookSummary(looks),
    renamedTextField: renamed,
  };
}
