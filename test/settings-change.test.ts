import { describe, expect, it } from 'vitest';
import { settingsChange } from '../src/job/settings-change.js';
import type { OutputSettings } from '../src/state/checkpoint.js';

// The start-over line listed the ten settings that could differ ("format, delimiter, … record limit"), never which did.
describe('the settings that differ from a checkpoint, named', () => {
  const base: OutputSettings = { format: 'csv', delimiter: ',', text: 'review', prefix: 'sentiment', modelId: 'embedded:sst2-nblr-lex-v5', longText: 'truncate' };

  it('names each one that differs with both values, and nothing for the same settings', () => {
    expect(settingsChange(base, base)).toBe('');
    expect(settingsChange(base, { ...base, delimiter: '\t', limit: 5, longText: 'skip' })).toBe("delimiter: ',' then, '\\t' now; long-text policy: truncate then, skip now; record limit: none then, 5 now");
    expect(settingsChange({ ...base, escape: 'backslash', quote: 'none' }, { ...base, decimal: 'comma' })).toBe(`escape: backslash then, quote now; quote: none then, '"' now; decimal mark: point then, comma now`);
    expect(settingsChange(base, { ...base, text: JSON.stringify({ join: ['title', 'review'], separator: '\n' }), prefix: 's' })).toBe("text column: 'review' then, 'title' + 'review' now; prefix: 'sentiment' then, 's' now");
  });

  it("names a JSONL job's text a field, as --text-field does", () => {
    const jsonl: OutputSettings = { ...base, format: 'jsonl', delimiter: '' };
    expect(settingsChange(jsonl, { ...jsonl, text: 'body' })).toBe("text field: 'review' then, 'body' now");
    expect(settingsChange(jsonl, { ...jsonl, text: JSON.stringify({ join: ['review', 'body'], separator: '\n' }) })).toBe("text field: 'review' then, 'review' + 'body' now");
  });

  it('names the model, and the address serving it without its value (a base URL may hold a key)', () => {
    const remote = { ...base, modelId: 'workers-ai:@cf/huggingface/distilbert-sst-2-int8' };
    expect(settingsChange(base, remote)).toBe('model: embedded:sst2-nblr-lex-v5 then, workers-ai:@cf/huggingface/distilbert-sst-2-int8 now');
    const said = settingsChange({ ...remote, endpoint: 'http://user:secret@127.0.0.1:1/client/v4' }, remote);
    expect(said).toBe('the address serving the model');
    expect(said).not.toContain('secret');
    // Another model is said as such; its address goes with it.
    expect(settingsChange({ ...remote, endpoint: 'http://127.0.0.1:1/client/v4' }, base)).toBe('model: workers-ai:@cf/huggingface/distilbert-sst-2-int8 then, embedded:sst2-nblr-lex-v5 now');
  });
});
