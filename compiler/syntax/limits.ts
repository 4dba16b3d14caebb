// Limits that keep the parser fast and its recursion bounded, whatever the input.
//
// Each limit has its own diagnostic code, so a user who hits one knows
// which. They are checked on the token stream before the parser recurses.

/** Larger files are refused (`file-too-large`): a `.kpi` file is hand-written text. */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Deepest nesting of parentheses, `case ... end` and prefix operators in an
 * expression (`nesting-too-deep`). Each level costs the recursive descent a
 * few stack frames; 256 is far beyond what a person writes.
 */
export const MAX_NESTING_DEPTH = 256;

/** Longest identifier or backticked name, in UTF-16 code units (`name-too-long`). */
export const MAX_NAME_LENGTH = 255;

/** At most this many character diagnostics per file: a binary file must not produce a million errors. */
export const MAX_CHARACTER_DIAGNOSTICS = 100;
