// Preloaded into a benchmarked `ordeal` process: at exit, one JSON line on stderr with its peak
// resident set size and CPU time (the CLI's own JSON has neither).
process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`\nordeal-bench ${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
});
