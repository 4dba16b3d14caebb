// How names compare. `café` typed as one code point (NFC) or as `e` plus a
// combining accent (NFD, as some editors and macOS file names produce) looks
// the same and is the same name; so is `Café`.

/** The key a declared or referenced name is compared by: NFC-normalised, then lower-cased. */
export function nameKey(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/**
 * A declared name as the model stores it: NFC-normalised, so that
 * `name.toLowerCase()` is its key wherever a later stage looks it up.
 */
export function displayName(text: string): string {
  return text.normalize('NFC');
}
