import { closest } from '../config/did-you-mean.js';

/**
 * The name among `names` that `wanted` most likely meant (a column or field
 * name): the same name in another case or with stray spaces, else the closest
 * likely typo, by the same rule as the command line's did-you-mean.
 * Undefined when nothing is close.
 */
export function nearestName(wanted: string, names: readonly string[]): string | undefined {
  const trimmed = names.map((name) => name.trim());
  const near = closest(wanted.trim(), trimmed);
  return near === undefined ? undefined : names[trimmed.indexOf(near)];
}
