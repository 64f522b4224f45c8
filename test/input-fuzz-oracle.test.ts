import { describe, expect, it } from 'vitest';
import { checkCsvOutput, checkJsonlOutput } from './support/input-fuzz-oracle.js';

/** The input fuzz's oracle (test/support/input-fuzz-oracle.ts) passes a right output and names each kind of wrong one. */
describe('input fuzz oracle', () => {
  const csvIn = Buffer.from('\ufeffid,text\r\n1,"great\nfilm"\n\n2,bad,x\r3,\n');
  const csvOut = Buffer.from(
    '\ufeffid,text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\r\n' +
      '1,"great\nfilm",POSITIVE,0.9,0.1,,\n' +
      '\n' +
      '2,bad,x,,,,,"ragged_row: expected 2 fields, got 3"\r' +
      '3,,,,,,empty_text: the text is empty or only white space; not sent\n',
  );
  it('passes the right output', () => {
    expect(checkCsvOutput(csvIn, csvOut, ',')).toEqual([]);
  });
  it('names a changed byte, a lost row, a changed line ending, a row neither scored nor failed, a lost BOM', () => {
    const text = csvOut.toString('utf8');
    expect(checkCsvOutput(csvIn, Buffer.from(text.replace('great\nfilm', 'great\r\nfilm')), ',').join()).toMatch(/record 1: bytes changed/);
    expect(checkCsvOutput(csvIn, Buffer.from(text.replace('\n\n', '\n')), ',').join()).toMatch(/5 input records, 4 output records/);
    expect(checkCsvOutput(csvIn, Buffer.from(text.replace('got 3"\r', 'got 3"\n')), ',').join()).toMatch(/line ending "\\r" became "\\n"/);
    expect(checkCsvOutput(csvIn, Buffer.from(text.replace('POSITIVE,0.9,0.1', ',,')), ',').join()).toMatch(/neither scored nor an error/);
    expect(checkCsvOutput(csvIn, Buffer.from(text.slice(1)), ',').join()).toMatch(/BOM/);
  });

  const jsonlIn = Buffer.from('{"id":1,"text":"good \\u00e9"}\r\n\n[1]\n{}\n{"text":"a","text":"b"}');
  const jsonlOut = Buffer.from(
    '{"id":1,"text":"good \\u00e9","sentiment":{"label":"POSITIVE","positive":0.9,"negative":0.1}}\r\n\n' +
      '{"sentiment":{"error":{"code":"not_an_object","message":"line is an array"}},"raw":"[1]"}\n' +
      '{"sentiment":{"error":{"code":"empty_text","message":"the text is empty"}}}\n' +
      '{"text":"a","text":"b","sentiment":{"label":"NEGATIVE","positive":0.2,"negative":0.8}}',
  );
  it('passes the right JSONL output', () => {
    expect(checkJsonlOutput(jsonlIn, jsonlOut)).toEqual([]);
  });
  it('names a re-serialized line, a lost CR, a lost blank line, a wrong raw', () => {
    const text = jsonlOut.toString('utf8');
    expect(checkJsonlOutput(jsonlIn, Buffer.from(text.replace('\\u00e9', 'é'))).join()).toMatch(/line 1: bytes changed/);
    expect(checkJsonlOutput(jsonlIn, Buffer.from(text.replace('}\r\n', '}\n'))).join()).toMatch(/line 1: bytes changed/);
    expect(checkJsonlOutput(jsonlIn, Buffer.from(text.replace('\n\n', '\n'))).join()).toMatch(/5 input lines, 4 output lines/);
    expect(checkJsonlOutput(jsonlIn, Buffer.from(text.replace('"raw":"[1]"', '"raw":"[ 1 ]"'))).join()).toMatch(/"raw" is/);
  });
});
