// Text for a terminal: control characters shown, never obeyed.
//
// A `.kpi` string, a file name or a data value can hold ESC (which starts
// sequences that move the cursor, erase lines, retitle the window), a
// carriage return (which overwrites the line) or a bidirectional control
// (which reorders it). Human formats print such characters as escapes;
// CSV and JSON keep them exact.
//
//   escapeControls('ok\x1b[2K')  -> 'ok\\x1b[2K'
//   escapeControls('a\tb\nc')    -> 'a\\tb\nc'   (line breaks kept)

/** C0 controls but the line feed, DEL, C1 controls, and the bidirectional controls. */
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\r': '\\r' };

/** `text` with every control character but the line feed written as an escape (`\x1b`, `\r`, `\t`, `\u202e`). */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (char) => {
    const named = NAMED[char];
    if (named !== undefined) return named;
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** One line of text (a file name): every control character escaped, the line feed too (`\n`), so a name never starts a line of its own. */
export function escapeLine(text: string): string {
  return escapeControls(text).replaceAll('\n', '\\n');
}
