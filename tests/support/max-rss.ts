// Preloaded into a kpic process (`node --import`): at exit, the peak resident
// memory of the whole process (KiB, the kernel's count) goes to the file named
// by KPIC_MAX_RSS_FILE, for tests that bound memory rather than time.

import { writeFileSync } from 'node:fs';

const file = process.env['KPIC_MAX_RSS_FILE'];
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
