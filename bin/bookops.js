#!/usr/bin/env node
// The executable stays a few lines: everything lives in the compiled CLI.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
