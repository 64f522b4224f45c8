/**
 * Negative contractions written without their apostrophe. Review sites and
 * phone keyboards often drop it: Booking.com's answers come as "didn t",
 * app reviews as "dont" or "cant". SST-2 (what the model learnt from) writes
 * them the Penn-Treebank way, "did n't" / "ca n't", so unless they are put
 * back in that form the negation marking never sees them and "cant go wrong"
 * reads as "go wrong".
 */

/** Stems that, followed by a lone "t" ("didn t"), are a negative contraction; value = the stem SST-2 writes. */
const SPLIT_STEMS: ReadonlyMap<string, string> = new Map([
  ['don', 'do'],
  ['didn', 'did'],
  ['doesn', 'does'],
  ['isn', 'is'],
  ['wasn', 'was'],
  ['aren', 'are'],
  ['weren', 'were'],
  ['can', 'ca'],
  ['couldn', 'could'],
  ['wouldn', 'would'],
  ['shouldn', 'should'],
  ['haven', 'have'],
  ['hasn', 'has'],
  ['hadn', 'had'],
  ['won', 'wo'],
  ['ain', 'ai'],
  ['mustn', 'must'],
  ['needn', 'need'],
]);

/**
 * Whole words that are a contraction with the apostrophe dropped. Only the
 * unambiguous ones: "wont" and "cant" are also English words, but in reviews
 * they are nearly always "won't" and "can't".
 */
const GLUED: ReadonlyMap<string, string> = new Map([
  ['dont', 'do'],
  ['didnt', 'did'],
  ['doesnt', 'does'],
  ['isnt', 'is'],
  ['wasnt', 'was'],
  ['arent', 'are'],
  ['werent', 'were'],
  ['cant', 'ca'],
  ['couldnt', 'could'],
  ['wouldnt', 'would'],
  ['shouldnt', 'should'],
  ['havent', 'have'],
  ['hasnt', 'has'],
  ['hadnt', 'had'],
  ['wont', 'wo'],
  ['aint', 'ai'],
]);

/** Rewrites apostrophe-less negative contractions in `tokens` (lowercase) as SST-2 writes them. */
export function restoreContractions(tokens: string[]): string[] {
  let changed = false;
  for (const token of tokens) {
    if (GLUED.has(token) || (token === 't' && tokens.length > 1)) {
      changed = true;
      break;
    }
  }
  if (!changed) return tokens;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const stem = SPLIT_STEMS.get(token);
    if (stem !== undefined && tokens[i + 1] === 't') {
      out.push(stem, "n't");
      i++;
      continue;
    }
    const glued = GLUED.get(token);
    if (glued !== undefined) out.push(glued, "n't");
    else out.push(token);
  }
  return out;
}
