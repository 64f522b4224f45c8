/**
 * Review bodies written HTML-encoded (`It&#39;s ok`, `&quot;Not great&quot;`, `<p>…<br>…</p>`), as Shopify, Judge.me
 * and Trustpilot exports often write them, are scored as written: the model reads `&`, `#`, `39`, `;` where one
 * apostrophe was meant, and Workers AI bills those tokens (six such reviews: 70 tokens, 47 decoded; one of them 0.88
 * positive where its decoded text is 0.94, embedded model). The job cannot decode them itself without scoring text the
 * export does not hold, so it says so at start-up, once, with the way: decode before scoring.
 */

import { sampledShare } from './sampled-share.js';

// Entities: the named ones reviews are written with, and numeric ones. An ampersand alone (`Tom & Jerry`, `R&D`) is text.
const ENTITY = /&(?:amp|lt|gt|quot|apos|nbsp|hellip|mdash|ndash|rsquo|lsquo|rdquo|ldquo|#\d{1,7}|#x[0-9a-f]{1,6});/i;
// Tags of formatted text only, so that `I <3 it` and `a < b and c > d` are not taken for markup.
const TAG = /<\/?(?:p|br|div|span|b|i|u|em|strong|ul|ol|li|a|img|h[1-6])(?:\s[^<>]*)?\s*\/?>/i;

/** Whether a text holds an HTML entity or a formatting tag. */
function holdsHtml(text: string): boolean {
  return ENTITY.test(text) || TAG.test(text);
}

/**
 * The warning for texts sampled from the first records (as the job would send them), or undefined when too few hold
 * HTML: one in fifty at least, so a review quoting a tag among a hundred plain ones says nothing. `subject` names the
 * text column or field as the user gave it (`--text-column 'body'`, `the text field 'text' (the default)`); `billed`:
 * the backend is Workers AI, which bills the tokens (the embedded and local models bill nothing, so the line says not).
 */
export function htmlTextWarning(texts: readonly string[], subject: string, billed: boolean): string | undefined {
  const html = sampledShare(texts, holdsHtml, 50);
  if (html === undefined) return undefined;
  return (
    `${subject} holds HTML in ${html.count} of the first ${html.of} texts ('${html.first}'): its entities (&amp;, &#39;, &quot;) and tags ` +
    `(<br>, <p>) are scored${billed ? ', and billed with Workers AI,' : ''} as written, not as the characters they stand for; decode the entities and remove the tags ` +
    'before scoring (a Python line that does: docs/input-formats.md#html-in-the-text), or have the export write plain text'
  );
}
