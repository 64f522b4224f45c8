import { shownStart } from '../wording/shown-start.js';

/** The longest text a start-up warning shows of the first text it is about. */
const SHOWN_CHARS = 80;

/**
 * How much of each text a check looks at. The language check of whole texts (NFKC, then an array of every letter and
 * every word) held about 160 MB per 15 MiB text and took 43 s over eight of them (1.4 GB peak RSS, where the run
 * with --language-check off peaked at 0.46 GB): a review's language shows in its first ten thousand characters.
 */
export const LOOKED_AT_CHARACTERS = 10_000;

/**
 * Of the texts sampled from the first records, those `looks` holds true of, when they are at least one in `oneIn` of
 * the non-blank ones (a warning's threshold: a few among a hundred say nothing): how many, of how many, and the first
 * of them on one line, cut short, for the warning to quote. Undefined below the threshold.
 */
export function sampledShare(texts: readonly string[], looks: (text: string) => boolean, oneIn: number): { count: number; of: number; first: string } | undefined {
  const nonBlank = texts.filter((text) => text.trim() !== '').map((text) => text.slice(0, LOOKED_AT_CHARACTERS));
  const matching = nonBlank.filter(looks);
  if (matching.length === 0 || matching.length < Math.ceil(nonBlank.length / oneIn)) return undefined;
  return { count: matching.length, of: nonBlank.length, first: shownStart(matching[0]!.replace(/\s+/g, ' ').trim(), SHOWN_CHARS) };
}
