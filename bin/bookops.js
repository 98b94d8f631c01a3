#!/usr/bin/env node
// The executable stays a few lines: everything lives in the compiled CLI. A password given on the
// command line (--db postgres://u:secret@...) leaves the process title first, before the CLI loads.
import { maskedCommandLine } from '../dist/config/redact.js';

const title = maskedCommandLine(process.argv.slice(2));
if (title) process.title = title;
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
