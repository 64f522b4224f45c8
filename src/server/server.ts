/**
 * `startServer`: the Workers AI–compatible HTTP server on node:http, usable
 * in-process (port 0 in tests) and behind the `serve` command.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors.js';
import { ArrivalJitter } from './arrival-jitter.js';
import { handleApiRequest, type Runtime, type ServerState } from './app.js';
import { handleControlRequest, isControlPath, type ControlApi } from './control.js';
import { resolveFaults, type AnswerSpec, type FaultOptions, type ResolvedFaults } from './fault-config.js';
import { FaultInjector } from './faults.js';
import { NeuronBudget, RateLimiter } from './limits.js';
import { resolveServerOptions, type ServerOptions } from './options.js';
import { StatsRecorder, type ServerStats } from './stats.js';

export interface RunningServer {
  port: number;
  /** `http://127.0.0.1:PORT` (the host it listens on; a wildcard host as this machine's loopback address: 127.0.0.1, [::1] for ::). */
  url: string;
  /** `url + '/client/v4'`: what to pass as the SDK's `baseURL` or `CLOUDFLARE_BASE_URL`. */
  baseURL: string;
  stats(): ServerStats;
  /** Replaces all fault settings (absent ones fall back to "no fault") and restarts the PRNG from their seed. */
  setFaults(faults: FaultOptions): void;
  /** The fault settings in force. */
  faults(): ResolvedFaults;
  /** Queues forced answers, one per arriving request (same as `POST /__control/next`). */
  enqueue(answers: AnswerSpec[]): number;
  /** Clears stats, rate windows, neuron usage and the forced queue; restarts the fault PRNG. */
  reset(): void;
  /** Stops listening, ends held and idle connections, cancels pending answers. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const resolved = resolveServerOptions(options);
  const state: ServerState = {
    options: resolved,
    faults: new FaultInjector(resolved.faults),
    limiter: new RateLimiter(resolved.rpm),
    budget: new NeuronBudget(resolved.dailyNeurons),
    stats: new StatsRecorder(resolved.now()),
  };

  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const runtime: Runtime = {
    hold(res) {
      held.add(res);
      res.on('close', () => held.delete(res));
    },
    delay(ms) {
      if (ms <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      });
    },
  };

  const control: ControlApi = {
    stats: () => state.stats.snapshot({ hanging: held.size, queuedForcedAnswers: state.faults.queued }),
    reset() {
      state.stats = new StatsRecorder(resolved.now());
      state.limiter.reset();
      state.budget.reset();
      state.faults.restart();
    },
    setFaults: (faults) => state.faults.configure(resolveFaults(faults, 'setFaults')),
    faults: () => state.faults.settings,
    enqueue: (answers) => state.faults.enqueue(answers),
    queued: () => state.faults.queued,
  };

  const jitter = resolved.arrivalJitter ? new ArrivalJitter(resolved.arrivalJitter, resolved.faults.seed) : undefined;
  // A request must arrive whole in time (REQUEST_TIMEOUTS: 10 s of headers, 30 s in all, checked each second; answers
  // are not bounded: --latency, the hang fault): Node's defaults (60 s of headers, 300 s in all, checked every 30 s)
  // let a client sending a byte at a time hold a connection for up to 330 s, as many as it opened, which with --host
  // 0.0.0.0 anyone on the network could. A client of this server sends a body of at most --max-body-bytes at once.
  const bounds = resolved.requestTimeouts;
  const server = createServer({ headersTimeout: bounds.headersMs, requestTimeout: bounds.requestMs, connectionsCheckingInterval: bounds.checkEveryMs }, (req, res) => {
    if (isControlPath(req.url)) handleControlRequest(req, res, control, resolved.token);
    else if (jitter) void runtime.delay(jitter.nextDelayMs()).then(() => handleApiRequest(req, res, state, runtime));
    else handleApiRequest(req, res, state, runtime);
  });
  // Clients such as the SDK keep connections alive for minutes; idle ones should not outlive close().
  server.keepAliveTimeout = 5_000;
  // A connection that sends nothing at all is under neither timeout above (measured: still open at 20 s), and enough
  // of them would use up the server's open files: one that has sent no byte in 10 s is closed.
  server.on('connection', (socket) => {
    const timer = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, bounds.silentMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });

  await new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => reject(unresolvableHost(error, resolved.host) ?? error);
    server.once('error', refused);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', refused);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const url = `http://${hostForUrl(resolved.host)}:${port}`;
  let closing: Promise<void> | undefined;

  return {
    port,
    url,
    baseURL: `${url}/client/v4`,
    ...control,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const res of held) res.socket?.destroy();
        held.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** A --host that listens on every interface of the machine (IPv4's 0.0.0.0, IPv6's ::), which no client can connect to by that name. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** The host of a URL a client on this machine can use: a wildcard becomes the loopback address of its own family. */
function hostForUrl(host: string): string {
  if (host === '::') return '[::1]';
  if (isWildcardHost(host)) return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** A --host that does not resolve is a usage error (a typo), not a fault of the machine or a bug. */
function unresolvableHost(error: NodeJS.ErrnoException, host: string): ConfigError | undefined {
  if (error.code !== 'ENOTFOUND' && error.code !== 'EAI_AGAIN' && error.code !== 'EAI_FAIL') return undefined;
  return new ConfigError(`--host ${host} cannot be resolved to an address (${error.code}): give an address or a name of this machine, e.g. 127.0.0.1 or 0.0.0.0`, { cause: error });
}
