// The CLI's helpers print their notes and errors to an `Output`; the service
// keeps that text for its answers and error messages instead.

import type { Output } from '../cli/output.ts';

export interface CapturedOutput extends Output {
  /** Everything printed, as one text. */
  text(): string;
  /** Each non-empty print, without trailing line breaks. */
  chunks(): string[];
}

export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  return {
    color: false,
    colorErr: false,
    docsLinks: false,
    docsLinksErr: false,
    out: (text) => void chunks.push(text),
    err: (text) => void chunks.push(text),
    // A captured command shows no progress.
    progress: (_label, work) => work(),
    text: () => chunks.join('').trimEnd(),
    chunks: () => chunks.map((c) => c.trimEnd()).filter((c) => c !== ''),
  };
}
