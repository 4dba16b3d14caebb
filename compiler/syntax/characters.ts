// Characters that make source text lie to its reader.
//
// Bidirectional controls reorder what an editor shows without changing what
// the compiler reads ("Trojan Source"); invisible characters split or join
// names unseen; letters from other scripts look like ASCII letters. All are
// errors, each with its own code.

/** U+202A-202E, U+2066-2069, U+200E/F, U+061C. */
export function isBidiControl(code: number): boolean {
  return (
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x061c
  );
}

/** C0 controls other than tab (line breaks never reach a string or comment), DEL and the C1 controls. */
export function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f);
}

/** Zero-width space and joiners, word joiner, byte order mark. */
export function isInvisible(code: number): boolean {
  return (code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff;
}

/** Joiners are part of ordinary text (emoji sequences, Persian script) inside strings and comments. */
export function isJoiner(code: number): boolean {
  return code === 0x200c || code === 0x200d;
}

/** A letter, mark or digit of any script: part of a would-be identifier. */
export function isWordCharacter(char: string): boolean {
  return /^[\p{L}\p{M}\p{N}]$/u.test(char);
}

/** `U+0430`. */
export function codePointLabel(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

// Names of the characters people paste by accident, and the ASCII they look like.
const NAMED: ReadonlyMap<number, readonly [name: string, looksLike?: string]> = new Map([
  [0x0430, ['CYRILLIC SMALL LETTER A', 'a']],
  [0x0435, ['CYRILLIC SMALL LETTER IE', 'e']],
  [0x043e, ['CYRILLIC SMALL LETTER O', 'o']],
  [0x0440, ['CYRILLIC SMALL LETTER ER', 'p']],
  [0x0441, ['CYRILLIC SMALL LETTER ES', 'c']],
  [0x0443, ['CYRILLIC SMALL LETTER U', 'y']],
  [0x0445, ['CYRILLIC SMALL LETTER HA', 'x']],
  [0x0456, ['CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I', 'i']],
  [0x0458, ['CYRILLIC SMALL LETTER JE', 'j']],
  [0x0455, ['CYRILLIC SMALL LETTER DZE', 's']],
  [0x0410, ['CYRILLIC CAPITAL LETTER A', 'A']],
  [0x0412, ['CYRILLIC CAPITAL LETTER VE', 'B']],
  [0x0415, ['CYRILLIC CAPITAL LETTER IE', 'E']],
  [0x041a, ['CYRILLIC CAPITAL LETTER KA', 'K']],
  [0x041c, ['CYRILLIC CAPITAL LETTER EM', 'M']],
  [0x041d, ['CYRILLIC CAPITAL LETTER EN', 'H']],
  [0x041e, ['CYRILLIC CAPITAL LETTER O', 'O']],
  [0x0420, ['CYRILLIC CAPITAL LETTER ER', 'P']],
  [0x0421, ['CYRILLIC CAPITAL LETTER ES', 'C']],
  [0x0422, ['CYRILLIC CAPITAL LETTER TE', 'T']],
  [0x0425, ['CYRILLIC CAPITAL LETTER HA', 'X']],
  [0x03bf, ['GREEK SMALL LETTER OMICRON', 'o']],
  [0x03b1, ['GREEK SMALL LETTER ALPHA', 'a']],
  [0x03bd, ['GREEK SMALL LETTER NU', 'v']],
  [0x03b9, ['GREEK SMALL LETTER IOTA', 'i']],
  [0x0391, ['GREEK CAPITAL LETTER ALPHA', 'A']],
  [0x0392, ['GREEK CAPITAL LETTER BETA', 'B']],
  [0x0395, ['GREEK CAPITAL LETTER EPSILON', 'E']],
  [0x0397, ['GREEK CAPITAL LETTER ETA', 'H']],
  [0x0399, ['GREEK CAPITAL LETTER IOTA', 'I']],
  [0x039a, ['GREEK CAPITAL LETTER KAPPA', 'K']],
  [0x039c, ['GREEK CAPITAL LETTER MU', 'M']],
  [0x039d, ['GREEK CAPITAL LETTER NU', 'N']],
  [0x039f, ['GREEK CAPITAL LETTER OMICRON', 'O']],
  [0x03a1, ['GREEK CAPITAL LETTER RHO', 'P']],
  [0x03a4, ['GREEK CAPITAL LETTER TAU', 'T']],
  [0x03a7, ['GREEK CAPITAL LETTER CHI', 'X']],
  [0x0131, ['LATIN SMALL LETTER DOTLESS I', 'i']],
  [0xff41, ['FULLWIDTH LATIN SMALL LETTER A', 'a']],
  [0x00a0, ['NO-BREAK SPACE', ' ']],
  [0x2009, ['THIN SPACE', ' ']],
  [0x3000, ['IDEOGRAPHIC SPACE', ' ']],
  [0x201c, ['LEFT DOUBLE QUOTATION MARK', '"']],
  [0x201d, ['RIGHT DOUBLE QUOTATION MARK', '"']],
  [0x2018, ['LEFT SINGLE QUOTATION MARK', "'"]],
  [0x2019, ['RIGHT SINGLE QUOTATION MARK', "'"]],
  [0x2212, ['MINUS SIGN', '-']],
  [0x2013, ['EN DASH', '-']],
  [0x2014, ['EM DASH', '-']],
  [0x2264, ['LESS-THAN OR EQUAL TO', '<=']],
  [0x2265, ['GREATER-THAN OR EQUAL TO', '>=']],
  [0x2260, ['NOT EQUAL TO', '!=']],
  [0x200b, ['ZERO WIDTH SPACE']],
  [0x200c, ['ZERO WIDTH NON-JOINER']],
  [0x200d, ['ZERO WIDTH JOINER']],
  [0x2060, ['WORD JOINER']],
  [0xfeff, ['ZERO WIDTH NO-BREAK SPACE (byte order mark)']],
  [0x202a, ['LEFT-TO-RIGHT EMBEDDING']],
  [0x202b, ['RIGHT-TO-LEFT EMBEDDING']],
  [0x202c, ['POP DIRECTIONAL FORMATTING']],
  [0x202d, ['LEFT-TO-RIGHT OVERRIDE']],
  [0x202e, ['RIGHT-TO-LEFT OVERRIDE']],
  [0x2066, ['LEFT-TO-RIGHT ISOLATE']],
  [0x2067, ['RIGHT-TO-LEFT ISOLATE']],
  [0x2068, ['FIRST STRONG ISOLATE']],
  [0x2069, ['POP DIRECTIONAL ISOLATE']],
  [0x200e, ['LEFT-TO-RIGHT MARK']],
  [0x200f, ['RIGHT-TO-LEFT MARK']],
  [0x061c, ['ARABIC LETTER MARK']],
  [0x0000, ['NUL']],
  [0x0007, ['BELL']],
  [0x0008, ['BACKSPACE']],
  [0x000b, ['LINE TABULATION']],
  [0x000c, ['FORM FEED']],
  [0x000d, ['CARRIAGE RETURN']],
  [0x001b, ['ESCAPE']],
  [0x007f, ['DELETE']],
  [0x009b, ['CONTROL SEQUENCE INTRODUCER']],
]);

/** `U+0430 CYRILLIC SMALL LETTER A`, or only the code point when the character is not in the table. */
export function describeCodePoint(code: number): string {
  const name = NAMED.get(code)?.[0];
  return name === undefined ? codePointLabel(code) : `${codePointLabel(code)} ${name}`;
}

/** The ASCII text a character is easily mistaken for, if any. */
export function lookalikeOf(code: number): string | undefined {
  return NAMED.get(code)?.[1];
}
