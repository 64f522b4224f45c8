/** `words` with its first letter upper-case: a clause worded to follow "then" or "; ", put at a sentence's start. */
export function capitalized(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}
