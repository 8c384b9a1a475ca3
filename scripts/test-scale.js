'use strict';
/**
 * `npm run test:scale`: the packed package in an n8n 2.x queue-mode cluster (one main, one
 * webhook processor, two workers) on PostgreSQL and Redis, against the local Thinksurance
 * stand-in. See test/scale/queue.scale.test.js for what it proves.
 *
 * This script owns the services: it installs PostgreSQL and Redis from Debian when they are
 * missing, runs a private PostgreSQL cluster (initdb into a temp dir, own port, loopback only)
 * and a private Redis (own port, no persistence), creates the database, runs the suite and
 * stops both again. Nothing of the system's own clusters/services is touched.
 *
 * Also usable as a module: `startServices()` for running the suite on its own
 * (`node --test test/scale/queue.scale.test.js` starts them itself when TSN_SCALE_PG is unset).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');

const ROOT = path.resolve(__dirname, '..');

function say(message) {
	process.stderr.write(`[scale] ${message}\n`);
}

function seconds(since) {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function run(command, args, { quiet = true, env, allowFail = false, input } = {}) {
	const result = spawnSync(command, args, {
		encoding: 'utf8',
		stdio: quiet ? ['pipe', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, ...env },
		input,
	});
	if (result.error && !allowFail) throw result.error;
	if (result.status !== 0 && !allowFail) {
		throw new Error(`${command} ${args.join(' ')} failed with ${result.status}\n${result.stdout ?? ''}\n${result.stderr ?? ''}`);
	}
	return result;
}

function which(command) {
	const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The newest PostgreSQL server binaries Debian installed (/usr/lib/postgresql/<v>/bin). */
function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')) && fs.existsSync(path.join(base, v, 'bin', 'pg_ctl')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

/** apt-get installs what is missing; services must not start on their own (we run our own). */
function ensurePackages() {
	const missing = [];
	if (!postgresBinDir()) missing.push('postgresql');
	if (!which('redis-server') || !which('redis-cli')) missing.push('redis-server');
	if (missing.length === 0) return;
	if (process.getuid && process.getuid() !== 0) {
		throw new Error(`missing ${missing.join(', ')}: run as root or install them (apt-get install -y ${missing.join(' ')})`);
	}
	const started = Date.now();
	say(`installing ${missing.join(', ')} from Debian (first run only)…`);
	// Keep the packages' own services from starting: this script runs private instances.
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !fs.existsSync(policy);
	if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
	try {
		const env = { DEBIAN_FRONTEND: 'noninteractive' };
		run('apt-get', ['update'], { quiet: false, env });
		run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { quiet: false, env });
	} finally {
		if (ownPolicy) fs.rmSync(policy, { force: true });
	}
	say(`installed ${missing.join(', ')} in ${seconds(started)}`);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

/** Runs a PostgreSQL tool as the postgres user (initdb/pg_ctl refuse root). */
function asPostgres(bin, args, options) {
	const isRoot = process.getuid && process.getuid() === 0;
	return isRoot ? run('runuser', ['-u', 'postgres', '--', bin, ...args], options) : run(bin, args, options);
}

async function startPostgres(workDir) {
	const started = Date.now();
	const binDir = postgresBinDir();
	const dataDir = path.join(workDir, 'pg');
	fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const isRoot = process.getuid && process.getuid() === 0;
	if (isRoot) {
		fs.chmodSync(workDir, 0o755);
		run('chown', ['-R', 'postgres:postgres', dataDir]);
	}
	asPostgres(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
	const port = await freePort();
	const serverOptions = [
		`-p ${port}`,
		`-k ${dataDir}`,
		'-c listen_addresses=127.0.0.1',
		'-c max_connections=200',
		'-c fsync=off',
		'-c synchronous_commit=off',
		'-c full_page_writes=off',
		'-c shared_buffers=128MB',
	].join(' ');
	asPostgres(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-l', path.join(dataDir, 'server.log'), '-o', serverOptions, '-w', '-t', '60', 'start']);
	const psql = path.join(binDir, 'psql');
	run(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', 'CREATE DATABASE n8n']);
	say(`PostgreSQL ${path.basename(path.dirname(binDir))} on 127.0.0.1:${port} (data ${dataDir}) in ${seconds(started)}`);
	return {
		host: '127.0.0.1',
		port,
		database: 'n8n',
		user: 'postgres',
		psql,
		dataDir,
		stop: () => {
			asPostgres(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop'], { allowFail: true });
		},
	};
}

async function startRedis(workDir) {
	const started = Date.now();
	const dir = path.join(workDir, 'redis');
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const pidFile = path.join(dir, 'redis.pid');
	run('redis-server', [
		'--port', String(port),
		'--bind', '127.0.0.1',
		'--save', '',
		'--appendonly', 'no',
		'--daemonize', 'yes',
		'--pidfile', pidFile,
		'--logfile', path.join(dir, 'redis.log'),
		'--dir', dir,
	]);
	for (let i = 0; i < 100; i++) {
		const ping = run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], { allowFail: true });
		if (ping.stdout?.trim() === 'PONG') break;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	say(`Redis on 127.0.0.1:${port} in ${seconds(started)}`);
	return {
		host: '127.0.0.1',
		port,
		stop: () => {
			const result = run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'shutdown', 'nosave'], { allowFail: true });
			if (result.status !== 0 && fs.existsSync(pidFile)) {
				try {
					process.kill(Number(fs.readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
				} catch {
					// already gone
				}
			}
		},
	};
}

/** Installs (if needed) and starts private PostgreSQL and Redis; `stop()` ends both and removes their data. */
async function startServices() {
	ensurePackages();
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsn-scale-services-'));
	let pg;
	let redis;
	let stopped = false;
	const stop = () => {
		if (stopped) return;
		stopped = true;
		const t = Date.now();
		try {
			redis?.stop();
		} finally {
			pg?.stop();
			fs.rmSync(workDir, { recursive: true, force: true });
		}
		say(`services stopped in ${seconds(t)}`);
	};
	try {
		pg = await startPostgres(workDir);
		redis = await startRedis(workDir);
	} catch (error) {
		stop();
		throw error;
	}
	return { pg, redis, stop };
}

async function main() {
	const started = Date.now();
	const { ensureN8n, packPackage } = require('./lib/n8n');
	const services = await startServices();
	const onSignal = (signal) => {
		services.stop();
		process.exit(signal === 'SIGINT' ? 130 : 143);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	let status = 1;
	try {
		const t = Date.now();
		ensureN8n('2');
		packPackage();
		say(`n8n ${require('./lib/n8n').LINES['2'].version} installed and package packed in ${seconds(t)}`);
		const suite = spawnSync(process.execPath, ['--test', '--test-concurrency=1', 'test/scale/queue.scale.test.js'], {
			cwd: ROOT,
			stdio: 'inherit',
			env: {
				...process.env,
				TSN_SKIP_BUILD: '1',
				TSN_SCALE_PG: `${services.pg.host}:${services.pg.port}`,
				TSN_SCALE_REDIS: `${services.redis.host}:${services.redis.port}`,
			},
		});
		status = suite.status ?? 1;
	} finally {
		services.stop();
	}
	say(`test:scale ${status === 0 ? 'passed' : 'FAILED'} in ${seconds(started)}`);
	process.exit(status);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

module.exports = { startServices, ensurePackages };
