/**
 * Two places where @huggingface/tokenizers@0.2.0 (pure JS) and the reference
 * implementation of tokenizer.json — the Rust `tokenizers` crate behind
 * Hugging Face's fast tokenizers — disagree for this BertNormalizer, fixed by
 * rewriting the raw text before the library sees it. Both rewrites are exact:
 * they only produce what the reference's normalizer would produce anyway, and
 * they never touch the characters of the added tokens ([CLS], [UNK]...).
 *
 * 1. CJK ideographs outside the BMP (e.g. U+20000 𠀀): the reference puts
 *    spaces around each so every one is its own word; the JS library looks at
 *    UTF-16 code units and never sees them, so a run of them became one word
 *    (one [UNK]) instead of one token each. Ranges are the reference's own list,
 *    including its 0x2B920 start (not 0x2B820) for the fifth range.
 * 2. Capital sigma: the reference lower-cases character by character
 *    (Σ → σ always); JavaScript's toLowerCase applies the final-sigma rule
 *    (Σ → ς at the end of a word), a different vocabulary entry.
 */

// The reference's ranges above U+FFFF; the BMP ranges are handled alike by both.
const ASTRAL_CJK = /[\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B920}-\u{2CEAF}\u{2F800}-\u{2FA1F}]/gu;
// High surrogates of U+20000..U+2FFFF: a cheap pre-check before the regex above.
const ASTRAL_PLANE_2 = /[\uD840-\uD87F]/;
const CAPITAL_SIGMA = 'Σ';

/** Rewrites `text` so the JS library tokenizes it as the reference does. */
export function alignWithReference(text: string): string {
  let out = text;
  if (out.includes(CAPITAL_SIGMA)) out = out.replaceAll(CAPITAL_SIGMA, 'σ');
  if (ASTRAL_PLANE_2.test(out)) out = out.replace(ASTRAL_CJK, ' $& ');
  return out;
}
