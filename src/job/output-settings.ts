import type { JobSettings } from '../config/options.js';
import type { Scorer } from '../scoring/scorer.js';
import type { OutputSettings } from '../state/checkpoint.js';
import type { Source } from './source.js';

/** The settings that shape a run's output, as its checkpoint records them (and hashes: settingsHash). */
export function outputSettingsOf(settings: JobSettings, source: Pick<Source, 'format' | 'delimiter' | 'text' | 'escape' | 'quote'>, scorer: Pick<Scorer, 'modelId' | 'endpoint'>): OutputSettings {
  return {
    format: source.format,
    delimiter: source.delimiter,
    text: source.text,
    prefix: settings.prefix,
    modelId: scorer.modelId,
    longText: settings.longText,
    ...(settings.limit !== undefined ? { limit: settings.limit } : {}),
    ...(scorer.endpoint !== undefined ? { endpoint: scorer.endpoint } : {}),
    // Another escape reads other records from the same bytes: a checkpoint's offsets and rows would not be this run's.
    ...(source.escape === 'backslash' ? { escape: source.escape } : {}),
    // So does --quote none (a quote is text, a backslash joins lines): absent for the default, so such jobs hash as before.
    ...(source.quote === 'none' ? { quote: source.quote } : {}),
    // --decimal comma writes other score cells: a job's output never mixes 0,97 and 0.97. A JSONL job ignores it (its
    // scores are JSON numbers), and the default is absent, so both hash as before.
    ...(settings.decimal === 'comma' && source.format !== 'jsonl' ? { decimal: 'comma' as const } : {}),
  };
}
