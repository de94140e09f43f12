'use strict';
// make bench-serve's peer: the json-rules-engine peer of make bench
// (../shared/bench/p1-json-rules-engine: its rules.json is the reference
// policy, first match = highest priority) behind Node's http module, so
// that `docrules serve` is measured beside the same policy served the way
// a Node shop would serve it.
//
//   NODE_PATH=build/bench/jre/node_modules node bench/serve-peer/server.js RULES.json \
//       [--listen 127.0.0.1:0] [--workers N]
//
// POST /v1/decide with one account JSON answers what run.js writes for it,
// {"id", "decision", "channel"}; GET /healthz answers 200. Like `docrules
// serve`: one line on stderr once every worker accepts, "serve-peer:
// listening on http://ADDR:PORT (N workers)"; SIGHUP reads RULES.json again
// (a new engine, swapped in between requests); SIGTERM lets requests in
// flight finish, then exits 0. --workers N (default 1) runs N processes
// with node:cluster, Node's way to use N cores: `docrules serve -j N`'s
// counterpart.
const cluster = require('node:cluster');
const fs = require('node:fs');
const http = require('node:http');
const { Engine } = require('json-rules-engine');

function usage(msg) {
  process.stderr.write(`serve-peer: ${msg}\nusage: node server.js RULES.json [--listen ADDR:PORT] [--workers N]\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
let rulesPath = null;
let listen = '127.0.0.1:0';
let workers = 1;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--listen') listen = argv[++i];
  else if (argv[i] === '--workers') workers = Number(argv[++i]);
  else if (!rulesPath && !argv[i].startsWith('-')) rulesPath = argv[i];
  else usage(`unknown argument '${argv[i]}'`);
}
if (!rulesPath) usage('no RULES.json');
const m = /^(.*):(\d+)$/.exec(listen || '');
if (!m) usage(`--listen wants ADDR:PORT, not '${listen}'`);
if (!Number.isInteger(workers) || workers < 1) usage('--workers wants a count >= 1');
const host = m[1].replace(/^\[(.*)\]$/, '$1');
const port = Number(m[2]);

// The engine exactly as run.js builds it: one rule per entry, no options.
function load() {
  const engine = new Engine();
  for (const r of JSON.parse(fs.readFileSync(rulesPath, 'utf8'))) engine.addRule(r);
  return engine;
}

function answer(res, status, obj) {
  const body = JSON.stringify(obj);
  // A length, not chunks: keep-alive clients (wrk, bench/serve_load.c)
  // find the end of each answer by it.
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function serve() {
  let engine = load();
  process.on('SIGHUP', () => {
    try {
      engine = load();
    } catch (e) {
      // A broken file leaves the running rules in place, as a reload should.
      process.stderr.write(`serve-peer: reload failed, keeping the rules: ${e.message}\n`);
    }
  });
  const server = http.createServer((req, res) => {
    const path = req.url.split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return answer(res, 200, { status: 'ok' });
    if (path !== '/v1/decide') return answer(res, 404, { error: 'no such path' });
    if (req.method !== 'POST') return answer(res, 405, { error: 'POST an account' });
    const parts = [];
    req.on('data', (c) => parts.push(c));
    req.on('end', () => {
      let acct;
      try {
        acct = JSON.parse(Buffer.concat(parts).toString('utf8'));
      } catch (e) {
        return answer(res, 400, { error: e.message });
      }
      // The engine of the moment: a reload swaps it for the next request.
      engine.run(acct).then(({ events }) => {
        const p = events.length ? events[0].params : { decision: 'deny', channel: 'none' };
        answer(res, 200, { id: acct.id, decision: p.decision, channel: p.channel });
      }, (e) => answer(res, 400, { error: e.message }));
    });
  });
  server.keepAliveTimeout = 60000;
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  server.listen(port, host, () => {
    const a = server.address();
    if (cluster.isWorker) process.send({ port: a.port });
    else process.stderr.write(`serve-peer: listening on http://${listen.replace(/:\d+$/, '')}:${a.port} (1 workers)\n`);
  });
}

if (workers === 1) {
  serve();
} else if (cluster.isPrimary) {
  // Workers listening on port 0 share one port the primary picks; each
  // says it once it listens, and the line is printed when all have.
  let ready = 0;
  const ws = [];
  for (let i = 0; i < workers; i++) {
    const w = cluster.fork();
    ws.push(w);
    w.on('message', (msg) => {
      if (msg && msg.port && ++ready === workers)
        process.stderr.write(`serve-peer: listening on http://${listen.replace(/:\d+$/, '')}:${msg.port} (${workers} workers)\n`);
    });
  }
  let stopping = false;
  cluster.on('exit', (w, code, sig) => {
    if (!stopping) {
      process.stderr.write(`serve-peer: worker ${w.process.pid} died (${sig || code}); stopping\n`);
      process.exit(1);
    }
    if (Object.keys(cluster.workers).length === 0) process.exit(0);
  });
  process.on('SIGHUP', () => { for (const w of ws) w.process.kill('SIGHUP'); });
  process.on('SIGTERM', () => {
    stopping = true;
    for (const w of ws) w.process.kill('SIGTERM');
  });
} else {
  serve();
}
