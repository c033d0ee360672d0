// A minimal Weft agent in JavaScript, written from api/README.md and the .proto files alone, to show the
// protocol is usable from another language. It registers, heartbeats, sends load reports for one
// component (if told which), applies the AssignmentSets it is pushed (it starts no real process: each
// assigned replica is reported running) and acknowledges them, keeps the newest RoutingTable per version
// and TrafficSplit per application, follows slow-down and drain requests, reconnects with its session
// credential, and leaves gracefully after RUN_SECONDS.
//
//   npm install && WEFT_GRPC=localhost:9090 WEFT_TOKEN=weft-local-dev-token \
//     APPLICATION=shop VERSION=v1 COMPONENT=cart RUN_SECONDS=30 node agent.js
'use strict';

const path = require('path');
const os = require('os');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const env = process.env;
const target = env.WEFT_GRPC || 'localhost:9090';
const agentId = env.AGENT_ID || `node-${os.hostname()}`.replace(/[^A-Za-z0-9-_.]/g, '-').slice(0, 128);
const runSeconds = Number(env.RUN_SECONDS || 0);

const definition = protoLoader.loadSync('weft/agent/v1/agent_service.proto', {
  includeDirs: [path.join(__dirname, '..', '..', 'src', 'main', 'proto')],
  keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
});
const AgentService = grpc.loadPackageDefinition(definition).weft.agent.v1.AgentService;
const client = new AgentService(target, grpc.credentials.createInsecure());

const seconds = (d) => Number(d.seconds) + d.nanos / 1e9;
const duration = (s) => ({ seconds: String(Math.floor(s)), nanos: Math.round((s % 1) * 1e9) });

let credential = null;      // the session credential of the latest Welcome
let running = [];           // replicas this agent runs: those of the newest AssignmentSet, reported RUNNING
let appliedGeneration = 0;  // generation of the newest AssignmentSet applied
const tables = new Map();   // "application/version" -> newest RoutingTable
const splits = new Map();   // application -> newest TrafficSplit
const newer = (map, key, message) => {
  const had = map.get(key);
  if (had && Number(had.generation) > Number(message.generation)) return false; // older than what we have: ignore
  map.set(key, message);
  return true;
};
let sequence = 0;
const sentAt = new Map();   // report sequence -> send time, to print ack latency
let timers = [];
let backoff = 0.5;
let leaving = false;   // Leave was called: let its answer end the process
let released = false;  // drained and released: the stream's end ends the process

function connect() {
  const call = client.Connect();
  const send = (message) => call.write(message);

  const hello = {
    agent_id: agentId,
    advertised_address: `${os.hostname()}:7000`,
    zone: env.ZONE || 'default',
    labels: { runtime: 'node' },
    capacity: { cpu_millicores: os.cpus().length * 1000, memory_mib: Math.floor(os.totalmem() / 1048576) },
    runtimes: ['node'],
    running_replicas: running,
    applied_generation: String(appliedGeneration),
    agent_version: 'weft node example 0.1.0',
  };
  if (credential) hello.session_credential = credential; else hello.bootstrap_token = env.WEFT_TOKEN || 'weft-local-dev-token';
  send({ hello });

  call.on('data', (message) => {
    switch (message.body) {
      case 'welcome': {
        const w = message.welcome;
        credential = w.session_credential;
        backoff = 0.5;
        console.log(`welcome: ${w.resumed ? 'resumed' : 'registered'} as ${w.agent_id}; lease ${seconds(w.lease)}s, `
          + `heartbeat every ${seconds(w.heartbeat_interval)}s, reports every ${seconds(w.report_interval)}s`);
        startTimers(send, seconds(w.heartbeat_interval), seconds(w.report_interval));
        break;
      }
      case 'report_ack': {
        const started = sentAt.get(message.report_ack.sequence);
        sentAt.delete(message.report_ack.sequence);
        const ms = started ? Number(process.hrtime.bigint() - started) / 1e6 : NaN;
        console.log(`report ${message.report_ack.sequence} ${message.report_ack.outcome} in ${ms.toFixed(1)} ms`);
        break;
      }
      case 'slow_down':
        console.log(`slow down: report every ${seconds(message.slow_down.report_interval)}s (${message.slow_down.reason})`);
        restartReports(send, seconds(message.slow_down.report_interval));
        break;
      case 'drain':
        console.log(`drain: ${message.drain.reason}${message.drain.released ? ' (released: nothing left to run)' : ''}`);
        if (message.drain.released) released = true;
        break;
      case 'error':
        console.log(`rejected message ${message.error.sequence}: ${message.error.code_name} ${message.error.message}`);
        break;
      case 'assignments': {
        const set = message.assignments;
        if (Number(set.generation) < appliedGeneration) break; // older than the one applied: ignore it
        // the full desired set: run exactly these (a real agent stops the others and starts the new ones here)
        running = set.assignments.map((a) => ({ assignment_id: a.assignment_id, application: a.application,
          version: a.version, components: a.components, state: 'REPLICA_STATE_RUNNING' }));
        appliedGeneration = Number(set.generation);
        send({ assignment_ack: { generation: set.generation, applied: true, message: '', failed_assignment_ids: [] } });
        // what runs counts once a heartbeat says so: send one now rather than at the next tick
        send({ heartbeat: { usage: { cpu_millicores: 100, memory_mib: 64 }, running_replicas: running,
          applied_generation: set.generation } });
        console.log(`assignments ${set.generation}: ${running.length} replica(s): `
          + running.map((r) => `${r.application}/${r.version} [${r.components.join(', ')}]`).join('; '));
        break;
      }
      case 'routing_table': {
        const t = message.routing_table;
        if (newer(tables, `${t.application}/${t.version}`, t)) {
          console.log(`routing table ${t.application}/${t.version} ${t.generation}: `
            + t.routes.map((r) => `${r.component} -> ${r.endpoints.map((e) => e.address).join(',') || 'in process'}`).join('; '));
        }
        break;
      }
      case 'traffic_split': {
        const split = message.traffic_split;
        if (newer(splits, split.application, split)) {
          console.log(`traffic split ${split.application} ${split.generation}: `
            + (split.weights.map((w) => `${w.version} ${w.weight_bp / 100} %`).join(', ') || 'no version serves'));
        }
        break;
      }
      default:
        // a body added by a newer control plane: ignore it
        if (message.body) console.log(`ignoring ${message.body}`);
    }
  });
  call.on('error', (e) => {
    stopTimers();
    console.log(`stream ended: ${grpc.status[e.code]} ${e.details}`);
    if (e.code === grpc.status.PERMISSION_DENIED || released) process.exit(1);
    if (leaving) return;
    if (e.code === grpc.status.UNAUTHENTICATED) credential = null; // register again with the bootstrap token
    setTimeout(connect, backoff * 1000 * (0.5 + Math.random()));
    backoff = Math.min(backoff * 2, 30);
  });
  call.on('end', () => {
    stopTimers();
    console.log('stream ended normally');
    if (released && !leaving) process.exit(0);
  });
}

function startTimers(send, heartbeatSeconds, reportSeconds) {
  stopTimers();
  timers.push(setInterval(() => send({ heartbeat: { usage: { cpu_millicores: 100, memory_mib: 64 }, running_replicas: running,
    applied_generation: String(appliedGeneration) } }),
    heartbeatSeconds * 1000));
  restartReports(send, reportSeconds);
}

function restartReports(send, reportSeconds) {
  if (!env.APPLICATION) return;
  if (timers[1]) clearInterval(timers[1]);
  timers[1] = setInterval(() => {
    sequence += 1;
    sentAt.set(String(sequence), process.hrtime.bigint());
    send({ load_report: {
      sequence: String(sequence),
      observed_at: { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 },
      interval: duration(reportSeconds),
      components: [{ application: env.APPLICATION, version: env.VERSION || 'v1', component: env.COMPONENT || 'frontend',
        cpu_cores: 0.25, memory_mib: 128, requests_per_second: 50, errors_per_second: 0, in_flight: 2 }],
    } });
  }, reportSeconds * 1000);
}

function stopTimers() {
  timers.forEach((t) => t && clearInterval(t));
  timers = [];
}

if (runSeconds > 0) {
  setTimeout(() => {
    leaving = true;
    client.Leave({ agent_id: agentId, session_credential: credential || '', reason: 'example finished' }, (e, response) => {
      console.log(e ? `leave failed: ${grpc.status[e.code]} ${e.details}` : `left; ${response.replicas_released} replica(s) released`);
      process.exit(e ? 1 : 0);
    });
  }, runSeconds * 1000);
}

connect();
