import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/e2e-dir.js';
import { htmlTextWarning } from '../src/preflight/html-text.js';

// A Shopify, Judge.me or Trustpilot export often writes its review bodies HTML-encoded (`It&#39;s ok`, `&quot;`,
// `<br>`). They were scored and billed as written with no word of it: on six such reviews 70 tokens where the decoded
// texts are 47, and `It&#39;s ok. &quot;Not great&quot; but fine` 0.88 positive where the decoded text is 0.94 (embedded).
describe('text that is HTML-encoded: said at start-up', () => {
  const { file, path: inDir } = useTempDir();

  it('names the column, how many of the first texts, an example, and what to do', () => {
    const said = htmlTextWarning(['Love it!! &lt;3 Best &amp; cheapest', 'plain words here', 'Terrible.<br>Broke in 2 days'], "--text-column 'body'", true);
    expect(said).toBe(
      "--text-column 'body' holds HTML in 2 of the first 3 texts ('Love it!! &lt;3 Best &amp; cheapest'): its entities (&amp;, &#39;, &quot;) " +
        'and tags (<br>, <p>) are scored, and billed with Workers AI, as written, not as the characters they stand for; decode the ' +
        'entities and remove the tags before scoring (a Python line that does: docs/input-formats.md#html-in-the-text), or have the export write plain text',
    );
    // Plain reviews, a heart, a comparison and an ampersand on its own are not HTML.
    expect(htmlTextWarning(['I <3 it', 'a < b and c > d', 'Tom & Jerry', 'R&D dept'], "--text-column 'body'", true)).toBeUndefined();
    expect(htmlTextWarning([], "--text-column 'body'", true)).toBeUndefined();
    // The embedded and local models bill nothing: the line does not say the tokens are billed.
    expect(htmlTextWarning(['Terrible.<br>Broke in 2 days'], "--text-column 'body'", false)).toContain('and tags (<br>, <p>) are scored as written, not as');
  });

  it('score and estimate warn for a CSV column and a JSONL field; the rows are scored as before', async () => {
    const csv = file('shopify.csv', 'id,body\n1,"It&#39;s ok. &quot;Not great&quot; but fine"\n2,Great value\n3,<p>Terrible quality.<br>Broke in 2 days</p>\n');
    const score = await runCli(['score', csv, '--text-column', 'body', '-o', inDir('shopify.scored.csv'), '--log-format', 'json']);
    expect(score.code).toBe(0);
    expect(score.stderr).toMatch(/"level":40,[^\n]*"msg":"--text-column 'body' holds HTML in 2 of the first 3 texts \('It&#39;s ok\. &quot;Not great&quot; but fine'\): /);
    // No credentials: the embedded model, which bills nothing, so no word of billing (it said "billed with Workers AI").
    expect(score.stderr).toContain('are scored as written, not as the characters');
    expect(score.stderr).not.toContain('billed');
    expect(score.stdout).toContain('rows 3: scored 3, skipped 0, failed 0');
    const jsonl = file('bodies.jsonl', [{ id: 1, review: { body: 'Arrived late &amp; broken' } }, { id: 2, review: { body: 'fine' } }].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const estimate = await runCli(['estimate', jsonl, '--text-field', 'review.body']);
    expect(estimate.code).toBe(0);
    expect(estimate.stderr).toContain("--text-field 'review.body' holds HTML in 1 of the first 2 texts ('Arrived late &amp; broken')");
    // With both credentials the backend is Workers AI, which bills the tokens, and the line says so.
    const paid = await runCli(['estimate', jsonl, '--text-field', 'review.body'], { env: { CLOUDFLARE_ACCOUNT_ID: 'acct', CLOUDFLARE_API_TOKEN: 'token-abcdef123456' } });
    expect(paid.code).toBe(0);
    expect(paid.stderr).toContain('are scored, and billed with Workers AI, as written');
    // A plain export says nothing of HTML.
    const plain = file('plain.csv', 'id,body\n1,I <3 it & love it\n');
    const quiet = await runCli(['score', plain, '--text-column', 'body', '-o', inDir('plain.scored.csv'), '--log-format', 'json']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('HTML');
  });
});
