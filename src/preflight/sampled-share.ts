import { shownStart } from '../wording/shown-start.js';

/** The longest text a start-up warning shows of the first text it is about. */
const SHOWN_CHARS = 80;

/**
 * Of the texts sampled from the first records, those `looks` holds true of, when they are at least one in `oneIn` of
 * the non-blank ones (a warning's threshold: a few among a hundred say nothing): how many, of how many, and the first
 * of them on one line, cut short, for the warning to quote. Undefined below the threshold.
 */
export function sampledShare(texts: readonly string[], looks: (text: string) => boolean, oneIn: number): { count: number; of: number; first: string } | undefined {
  const nonBlank = texts.filter((text) => text.trim() !== '');
  const matching = nonBlank.filter(looks);
  if (matching.length === 0 || matching.length < Math.ceil(nonBlank.length / oneIn)) return undefined;
  return { count: matching.length, of: nonBlank.length, first: shownStart(matching[0]!.replace(/\s+/g, ' ').trim(), SHOWN_CHARS) };
}
