/** Items listed in a sentence: "a", "a and b", "a, b and c" (an empty list is ""). */
export function andList(items: readonly (string | number)[]): string {
  return items.length < 2 ? String(items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
