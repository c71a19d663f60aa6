#!/usr/bin/env node
// Checks the prerequisites of `npm test`, `npm run demo`, `npm start` and `npm run bench` and
// prints one clear line per missing piece instead of a stack trace later. Plain JavaScript so that
// it runs (and explains) even on an old Node.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { nodeVersionProblem } from '../bin/check-node.js';

const what = process.argv[2] ?? 'test';
const problems = [];

const nodeProblem = nodeVersionProblem();
if (nodeProblem) problems.push(nodeProblem);

const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

function redisAnswers(url) {
  return new Promise((resolve) => {
    let u;
    try {
      u = new URL(url);
    } catch {
      resolve(false);
      return;
    }
    const socket = net.connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => done(/PONG|NOAUTH/.test(d.toString())));
  });
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisOk = await redisAnswers(redisUrl);
if (!redisOk) {
  if (what === 'demo' && has('redis-server')) {
    // The demo starts a private redis-server itself.
  } else {
    problems.push(
      `Redis is not answering at ${redisUrl}: install Redis 7 (Debian: apt-get install -y redis-server), ` +
        'start it (redis-server), or point REDIS_URL at a running one.',
    );
  }
}

if (what === 'test') {
  for (const [cmd, pkg] of [
    ['radicale', 'radicale'],
    ['xandikos', 'xandikos'],
  ]) {
    if (!has(cmd))
      problems.push(
        `${cmd} is not installed: the CalDAV integration tests need it (Debian: apt-get install -y ${pkg}).`,
      );
  }
}

if (problems.length > 0) {
  console.error(`Cannot run \`npm ${what === 'test' ? 'test' : `run ${what}`}\`:`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
