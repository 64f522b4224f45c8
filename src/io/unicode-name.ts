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
  const form = wanted.normalize('NFC');
  if (form !== wanted && Object.hasOwn(object, form)) return form;
  return keysByForm(object).get(form);
}

/**
 * Of each object looked into for a key it lacks, its keys outside ASCII by their NFC form (the first of each), made once:
 * an ASCII key is its own NFC form, found above. Each lookup normalized every key: the start-up checks look up some
 * 10,000 fields (jsonl-fields.ts MAX_FIELD_PATHS) in records of 20,000 keys that lack them, 200,000,000 normalizations.
 * Parsed records are never changed, so what is made for one stays true.
 */
function keysByForm(object: Record<string, unknown>): Map<string, string> {
  let keys = KEYS_BY_FORM.get(object);
  if (keys !== undefined) return keys;
  keys = new Map();
  for (const key of Object.keys(object)) {
    if (ASCII.test(key)) continue;
    const form = key.normalize('NFC');
    if (!keys.has(form)) keys.set(form, key);
  }
  KEYS_BY_FORM.set(object, keys);
  return keys;
}

const KEYS_BY_FORM = new WeakMap<object, Map<string, string>>();
const ASCII = /^[\u0000-\u007f]*$/;
