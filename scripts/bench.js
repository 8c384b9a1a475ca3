#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: the packed package in a real n8n against the local Thinksurance stand-in
 * (50 ms per API call), compared with flows built from n8n's own nodes. Prints a table and
 * writes bench/RESULTS.md; reports, asserts nothing. The shared runner (n8n, stand-in, timing,
 * report) is scripts/bench/runner.js, profiles scripts/bench/profiler.js; each benchmark is
 * one module, registered below by one line, run in this order (BENCH_ONLY=key,… picks some).
 */
const { main } = require('./bench/runner');

main([
	require('./bench/forward'),
	require('./bench/forward-profile'),
	require('./bench/pace'),
	require('./bench/search'),
	require('./bench/getOrCreate'),
	require('./bench/trigger'),
	require('./bench/trigger-profile'),
	require('./bench/trigger-pool'),
	require('./bench/poll'),
]).catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exitCode = 1;
});
