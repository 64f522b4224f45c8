import { closest } from '../config/did-you-mean.js';

/**
 * The name among `names` that `wanted` most likely meant (a column or field
 * name): the same name in another case or with stray spaces, else the closest
 * likely typo, by the same rule as the command line's did-you-mean.
 * Undefined when nothing is close; never a blank name.
 */
export function nearestName(wanted: string, names: readonly string[]): string | undefined {
  // A name that is empty (or only white space) is never offered: --text-column '' is refused, so it would be a dead end.
  const named = names.filter((name) => name.trim() !== '');
  const trimmed = named.map((name) => name.trim());
  const near = closest(wanted.trim(), trimmed);
  return near === undefined ? undefined : named[trimmed.indexOf(near)];
}
