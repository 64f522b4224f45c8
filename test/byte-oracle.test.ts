import { describe, expect, it } from 'vitest';
import { awkwardExport } from './support/awkward-export.js';
import { checkOutput, splitCsv, splitJsonl } from './support/byte-oracle.js';

// The byte-for-byte fuzz (test/e2e-bytes-fuzz.test.ts, bench/bytes-fuzz.ts) is only as good as its oracle:
// it must pass what the documentation promises and catch a byte out of place.
describe('the byte oracle of the fuzz', () => {
  const scored = ',POSITIVE,0.75,0.25,,';
  const header = ',sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error';

  it('splits CSV as docs/input-formats.md reads it: any line ending, quotes, text after a closing quote', () => {
    const records = splitCsv('id,text\r\n1,"a\r\nb"\n\n2,5" screen\r3,"good"  ', ',');
    expect(records.map((r) => [r.body, r.ending, r.fields])).toEqual([
      ['id,text', '\r\n', ['id', 'text']],
      ['1,"a\r\nb"', '\n', ['1', 'a\r\nb']],
      ['', '\n', ['']],
      ['2,5" screen', '\r', ['2', '5" screen']],
      ['3,"good"  ', '', ['3', '"good"  ']],
    ]);
    expect(splitJsonl('{"a":1}\r\n\n{"b":2}').map((l) => [l.body, l.ending])).toEqual([
      ['{"a":1}', '\r\n'],
      ['', '\n'],
      ['{"b":2}', ''],
    ]);
  });

  it('passes an output with the cells appended and flags each kind of damage', () => {
    const input = Buffer.from('\ufeffid;text\r\n1;"fine\nday"\r\n\n2;\r3;x;y');
    const good = `\ufeffid;text${header.replaceAll(',', ';')}\r\n1;"fine\nday"${scored.replaceAll(',', ';')}\r\n\n2;;;;;;empty_text: the text is empty\r3;x;y;;;;;ragged_row: expected 2 fields, got 3`;
    const options = { format: 'csv' as const, delimiter: ';', textNames: ['text'] };
    expect(checkOutput(input, Buffer.from(good), options).problems).toEqual([]);
    expect(checkOutput(input, Buffer.from(good), options).found).toEqual({ read: 3, scored: 1, skipped: 1, failed: 1 });
    const broken = [
      good.replace('\ufeff', ''), // the BOM lost
      good.replace('"fine\nday"', '"fine\r\nday"'), // a line ending inside quotes rewritten
      good.replace('\r\n\n2', '\r\n2'), // a blank line lost
      good.replace(';;;;;;empty', ';;;;;empty'), // a cell missing
      good.replace('empty_text:', 'ragged_row:'), // the wrong outcome
      good.replace('\r3;', '\n3;'), // a record's own line ending changed
      good.replace(';;;;;empty_text: the text is empty', ';;;;;"empty_text: the text is empty"'), // a cell quoted for nothing
      `${good}\n`, // a line ending added to the last record
    ];
    for (const output of broken) expect(checkOutput(input, Buffer.from(output), options).problems, JSON.stringify(output)).not.toEqual([]);
  });

  it('takes a record a stray quote made of several lines for a failed row (stray_quote), anywhere in the record', () => {
    const input = Buffer.from('id,text,n\n1,"a\nb" c,x\n2,"d" e,"f\r\ng" h\n');
    const failed = (lines: string) => `,,,,,stray_quote: lines ${lines} were read as one record`;
    const good = `id,text,n${header}\n1,"a\nb" c,x${failed('2-3')}\n2,"d" e,"f\r\ng" h${failed('4-5')}\n`;
    const options = { format: 'csv' as const, delimiter: ',', textNames: ['text'] };
    expect(checkOutput(input, Buffer.from(good), options).problems).toEqual([]);
    expect(checkOutput(input, Buffer.from(good), options).found).toEqual({ read: 2, scored: 0, skipped: 0, failed: 2 });
    // Scored as one review, as it was: flagged.
    expect(checkOutput(input, Buffer.from(good.replace(failed('2-3'), scored)), options).problems).not.toEqual([]);
  });

  it('takes a cell quoted across lines whose quote is escaped by a backslash (MySQL, an escapechar) for one review, scored', () => {
    const input = Buffer.from('id,text,n\n1,"a\nb \\"c\\" d",x\n2,"e\nf\\\\" g,x\n');
    const good = `id,text,n${header}\n1,"a\nb \\"c\\" d",x${scored}\n2,"e\nf\\\\" g,x,,,,,stray_quote: lines 4-5 were read as one record\n`;
    const options = { format: 'csv' as const, delimiter: ',', textNames: ['text'] };
    expect(checkOutput(input, Buffer.from(good), options).problems).toEqual([]);
    expect(checkOutput(input, Buffer.from(good), options).found).toEqual({ read: 2, scored: 1, skipped: 0, failed: 1 });
  });

  it('reads --escape backslash as docs/input-formats.md says: \\" and \\\\ in quoted cells, the new cells escaped alike', () => {
    const input = Buffer.from('id,text,n\n1,"said \\"hi\\" and\nmore, stuff",5\n2,"a \\\\ b",6\n');
    const failed = ',,,,,"x: a \\"quoted\\" \\\\ message"';
    const good = `id,text,n${header}\n1,"said \\"hi\\" and\nmore, stuff",5${scored}\n2,"a \\\\ b",6${failed}\n`;
    const options = { format: 'csv' as const, delimiter: ',', textNames: ['text'], escape: 'backslash' as const, modelFailures: true };
    expect(checkOutput(input, Buffer.from(good), options).problems).toEqual([]);
    expect(checkOutput(input, Buffer.from(good), options).found).toEqual({ read: 2, scored: 1, skipped: 0, failed: 1 });
    // The new cells quoted RFC 4180's way in a backslash-escaped output: flagged.
    expect(checkOutput(input, Buffer.from(good.replace(failed, ',,,,,"x: a ""quoted"" \\ message"')), options).problems).not.toEqual([]);
  });

  it('without --escape, takes the records of a backslash-escaped row that RFC 4180 split for one failed row, and only those', () => {
    const input = Buffer.from('id,text,n\n1,"said \\"hi\\" and\nmore, stuff",5\n2,"C:\\x\\"\n3,ok,7\n');
    const good = `id,text,n${header}\n1,"said \\"hi\\" and\nmore, stuff",5,,,,,"ragged_row: the row spans 2 lines, m"\n2,"C:\\x\\",,,,,,ragged_row: expected 3 fields\n3,ok,7${scored}\n`;
    const options = { format: 'csv' as const, delimiter: ',', textNames: ['text'] };
    expect(checkOutput(input, Buffer.from(good), options).problems).toEqual([]);
    expect(checkOutput(input, Buffer.from(good), options).found).toEqual({ read: 3, scored: 1, skipped: 0, failed: 2 });
    // Its second half scored on its own, as it was: flagged.
    const halves = good.replace(',,,,,"ragged_row: the row spans 2 lines, m"', '').replace('and\nmore', 'and,,,,,,ragged_row: m\nmore').replace('stuff",5\n', `stuff",5${scored}\n`);
    expect(checkOutput(input, Buffer.from(halves), options).problems).not.toEqual([]);
  });

  it('checks JSONL lines for the field before the final brace, and wrapped lines for the line under "raw"', () => {
    // {} has no text field where the first record has one: no text (an export leaving out NULL fields), skipped.
    const input = Buffer.from('{"id":12345678901234567890,"text":"good"} \r\n[1]\n{}\n');
    const answer = '"sentiment":{"label":"POSITIVE","positive":0.75,"negative":0.25}';
    const good = `{"id":12345678901234567890,"text":"good",${answer}} \r\n{"sentiment":{"error":{"code":"not_an_object","message":"m"}},"raw":"[1]"}\n{"sentiment":{"error":{"code":"empty_text","message":"m"}}}\n`;
    const options = { format: 'jsonl' as const, delimiter: ',', textNames: ['text'] };
    expect(checkOutput(input, Buffer.from(good), options).problems).toEqual([]);
    const broken = [
      good.replace('12345678901234567890', '12345678901234567000'), // a huge integer rewritten by JSON
      good.replace('} \r\n', '}\r\n'), // the space after the brace lost
      good.replace('"raw":"[1]"', '"raw":"[2]"'),
      good.replace('{"sentiment":{"error":{"code":"empty', '{,"sentiment":{"error":{"code":"empty'),
      good.replace('"code":"empty_text"', '"code":"missing_text_field"'), // failed where the sample shows the field left out
    ];
    for (const output of broken) expect(checkOutput(input, Buffer.from(output), options).problems, JSON.stringify(output)).not.toEqual([]);
  });

  it('generates the same export from the same seed', () => {
    for (const seed of [1, 2, 3]) expect(awkwardExport(seed).bytes.equals(awkwardExport(seed).bytes)).toBe(true);
  });
});
