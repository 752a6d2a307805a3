#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/index.js';

process.exitCode = await runCli(process.argv.slice(2), {
  daemonEntry: fileURLToPath(new URL('./berthd.js', import.meta.url)),
});
