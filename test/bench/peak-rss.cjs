// Preloaded into each command the benchmark runs (NODE_OPTIONS=--require): on exit, appends "<pid> <peak RSS in KiB>"
// to the file named by BLASTMAP_BENCH_RSS, so the runner reads the command's peak memory without an external tool.
'use strict';
const { appendFileSync } = require('node:fs');

const file = process.env.BLASTMAP_BENCH_RSS;
if (file) {
  process.on('exit', () => {
    try {
      appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
    } catch {
      // The measurement is lost, not the command's result.
    }
  });
}
