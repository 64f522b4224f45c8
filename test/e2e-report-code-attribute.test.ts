import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

// A failed row's code comes from the file (the error cell before its colon): any text an edited or foreign file holds.
// The page names each code inside an attribute (data-figure="totals.failedByCode.<code>"), where a double quote left
// as it is ends the attribute and the rest of the code becomes markup of the page: here an event handler.
describe('report: a row error code holding quotes, on the page', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('sb-report-code-')));
  afterEach(() => cleanup());

  it('is escaped inside the attribute as in the text: no markup of the file reaches the page', async () => {
    const csv = path.join(dir, 'out.scored.csv');
    writeFileSync(
      csv,
      'id,text,sentiment_label,sentiment_positive,sentiment_negative,sentiment_truncated,sentiment_error\n' +
        '1,good,POSITIVE,0.9,0.1,false,\n' +
        `2,bad,,,,,"x""onmouseover=""alert(1)'': made up"\n`,
    );
    const page = path.join(dir, 'r.html');
    const r = await runCli(['report', csv, '-o', page]);
    expect(r.code).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).not.toContain('onmouseover="');
    expect(html).toContain('data-figure="totals.failedByCode.x&#34;onmouseover=&#34;alert(1)&#39;&#39;">1</span>');
  });
});
