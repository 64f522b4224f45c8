/**
 * Settings that the chosen backend or input format has no use for. They are
 * accepted (a job file shared between backends should not fail) but never
 * silently: each gets one warning line, so a user who expected --threads to
 * speed up the embedded model learns that it did nothing.
 */
import type { JobSettings } from '../config/options.js';
import type { InputFormat } from '../io/format.js';

export interface RunShape {
  /** Requests go over the network (Workers AI). */
  remote: boolean;
  /** The model has DistilBERT's 512-token window (Workers AI or --backend local). */
  windowed: boolean;
  /** --backend local: the ONNX model on this machine. */
  local: boolean;
  format: InputFormat;
}

export function ignoredSettingWarnings(settings: JobSettings, shape: RunShape): string[] {
  const warnings: string[] = [];
  if (!shape.remote && settings.redis) warnings.push('--redis is ignored: a model on this machine sends no requests to share a limit for');
  if (!shape.windowed && settings.cache) warnings.push('--cache is ignored: the embedded model scores a text faster than the cache could look it up');
  if (!shape.local) {
    const given = [
      settings.threads !== undefined && '--threads',
      settings.localBatch !== undefined && '--local-batch',
      settings.device !== 'cpu' && '--device',
    ].filter((flag): flag is string => flag !== false);
    if (given.length > 0) warnings.push(`${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} ignored: ${given.length === 1 ? 'it applies' : 'they apply'} to --backend local only`);
  }
  if (shape.format === 'jsonl' && settings.delimiter !== undefined) warnings.push('--delimiter is ignored: the input is JSONL, which has no delimiter');
  if (!settings.report) {
    const given = [
      settings.reportBy !== undefined && '--report-by',
      settings.reportDate !== undefined && '--report-date',
      settings.reportRating !== undefined && '--report-rating',
    ].filter((flag): flag is string => flag !== false);
    if (given.length > 0) {
      warnings.push(
        `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} ignored: ${given.length === 1 ? 'it shapes' : 'they shape'} the report, and no --report is given ` +
          "(add --report PATH, or run 'sentiment-batch report' on the output afterwards)",
      );
    }
  }
  return warnings;
}
