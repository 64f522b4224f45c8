/**
 * A column or field name typed on a command line and the same name in a file
 * may be written in different Unicode forms: "critiqué" with a precomposed é
 * (NFC, what keyboards type) or with e + a combining accent (NFD, what macOS
 * file names and some exports hold). They are the same name.
 */
export function sameName(a: string, b: string): boolean {
  return a === b || a.normalize('NFC') === b.normalize('NFC');
}

/**
 * Every index of `wanted` among `names`: the exact name's, else the same name's
 * in another Unicode form. More than one is a name a header holds twice.
 */
export function nameIndexes(names: readonly string[], wanted: string): number[] {
  const exact = names.flatMap((name, index) => (name === wanted ? [index] : []));
  return exact.length > 0 ? exact : names.flatMap((name, index) => (sameName(name, wanted) ? [index] : []));
}

/** The key of `object` that is `wanted`, exactly or in another Unicode form; undefined when it has none. */
export function ownKey(object: Record<string, unknown>, wanted: string): string | undefined {
  if (Object.hasOwn(object, wanted)) return wanted;
  return Object.keys(object).find((key) => sameName(key, wanted));
}
