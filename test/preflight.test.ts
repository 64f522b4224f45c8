import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { refuseScoredCsv, refuseScoredJsonl } from '../src/preflight/already-scored.js';
import { checkTextFields } from '../src/preflight/jsonl-fields.js';
import { nearestName } from '../src/io/nearest-name.js';

describe('nearestName', () => {
  it('finds a name in another case, or one a few letters off, and nothing far away', () => {
    expect(nearestName('Review', ['id', 'review'])).toBe('review');
    expect(nearestName('reveiw', ['id', 'review', 'rating'])).toBe('review');
    expect(nearestName('meta.star', ['meta.stars', 'id'])).toBe('meta.stars');
    expect(nearestName('text', ['id', 'review', 'stars'])).toBeUndefined();
  });
});

describe('checkTextFields', () => {
  const sample = (objects: Array<Record<string, unknown>>) => ({ records: objects.length, objects, firstLine: '' });

  it('accepts a field that any sampled record has, at any depth', () => {
    expect(() => checkTextFields(sample([{ a: 1 }, { review: { body: 'x' } }]), ['review.body'], true)).not.toThrow();
  });

  it('says "the first record" for a sample of one', () => {
    expect(() => checkTextFields(sample([{ body: 'x' }]), ['text'], true)).toThrow("--text-field 'text' is not in the first record; its fields are: 'body'");
  });

  it('lists the fields the records have and points at the longest texts when no name is near', () => {
    const objects = [
      { id: 1, summary: 'ok', content: 'a long review of the product', user: { name: 'A' } },
      { id: 2, summary: 'bad', content: 'another long review text' },
    ];
    expect(() => checkTextFields(sample(objects), ['text'], false)).toThrow(ConfigError);
    expect(() => checkTextFields(sample(objects), ['text'], false)).toThrow(
      "the text field 'text' (the default; name yours with --text-field) is in none of the first 2 records; their fields are: 'id', 'summary', 'content', 'user.name' (did you mean 'content'?)",
    );
    expect(() => checkTextFields(sample(objects), ['summary', 'body'], true)).toThrow(/^--text-field 'body' is in none/);
  });

  it('leaves a sample without any JSON object to the per-row failures', () => {
    expect(() => checkTextFields({ records: 5, firstLine: '', objects: [] }, ['text'], false)).not.toThrow();
  });
});

describe('refusing an input already scored', () => {
  it('CSV: any of the prefix columns in the header', () => {
    expect(() => refuseScoredCsv(['id', 'sentiment_label'], 'sentiment')).toThrow(/already has the column 'sentiment_label'.*--prefix/);
    expect(() => refuseScoredCsv(['id', 'sentiment_label'], 'tone')).not.toThrow();
    expect(() => refuseScoredCsv(['id', 'sentiment'], 'sentiment')).not.toThrow();
  });

  it('JSONL: a sampled record with the prefix field', () => {
    expect(() => refuseScoredJsonl({ records: 1, firstLine: '', objects: [{ sentiment: { label: 'POSITIVE' } }] }, 'sentiment')).toThrow(ConfigError);
    expect(() => refuseScoredJsonl({ records: 1, firstLine: '', objects: [{ text: 'x' }] }, 'sentiment')).not.toThrow();
  });
});
