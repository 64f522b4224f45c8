/**
 * A real `redis-server` for tests: started on a free loopback port with no
 * persistence (a restart loses every key, the hard case for the shared
 * limiter), stopped and restarted on the same port on demand.
 *
 * Tests skip cleanly when `redis-server` is not installed:
 *   describe.skipIf(!REDIS_SERVER)(`... (${REDIS_SKIP_REASON})`, ...)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

function findRedisServer(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const where = found.status === 0 ? found.stdout.trim() : '';
  return where === '' ? undefined : where;
}

/** Path of `redis-server`, or undefined when it is not installed. */
export const REDIS_SERVER: string | undefined = findRedisServer();
export const REDIS_SKIP_REASON = REDIS_SERVER
  ? 'redis-server found'
  : 'skipped: redis-server is not installed (apt-get install redis-server, or run .ci/install-redis.sh)';

/** A port nobody listens on right now (the kernel's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class TestRedis {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'sb-redis-'));

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * Starts a server on a free port (or on `port`). A free port is only free when it is picked: redis-server cannot
   * listen on port 0 and say which port it got, so another process may take the port before redis-server binds it
   * (another test's server, or a connection's local port: they come from the same range). A port taken meanwhile is
   * given up for another pick (`pickPort`, freePort unless a test of this one says otherwise), up to 5 picks.
   */
  static async start(port?: number, pickPort: () => Promise<number> = freePort): Promise<TestRedis> {
    for (let pick = 1; ; pick++) {
      const redis = new TestRedis(port ?? (await pickPort()));
      try {
        await redis.startProcess();
        return redis;
      } catch (error) {
        await redis.close();
        if (port !== undefined || !(error instanceof PortTaken) || pick === 5) throw error;
      }
    }
  }

  /** Stops the server (SIGTERM, or SIGKILL) and waits for the process to exit. Keys are lost: no persistence. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    // A paused server acts on the signal only once it runs again.
    child.kill('SIGCONT');
    await exited;
  }

  /** Freezes the server (SIGSTOP): its connections stay open and the kernel still takes new ones, but nothing is answered. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a paused server go on (SIGCONT): it answers what it was sent meanwhile. */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Starts the server again on the same port, empty. */
  async restart(): Promise<void> {
    await this.stop();
    await this.startProcess();
  }

  /** Stops the server and removes its working folder. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private startProcess(): Promise<void> {
    if (!REDIS_SERVER) throw new Error(REDIS_SKIP_REASON);
    const args = [
      '--port', String(this.port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', 'no',
      '--dir', this.dir,
      '--daemonize', 'no',
      '--loglevel', 'notice',
    ];
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s on port ${this.port}:\n${output}`)), 10_000);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(error);
      };
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      // 'close', not 'exit': the output's last lines (why it could not listen) may come after the exit.
      child.once('close', (code, signal) => {
        const message = `redis-server exited (${code ?? signal}) before it was ready:\n${output}`;
        fail(/Address already in use/.test(output) ? new PortTaken(message) : new Error(message));
      });
      child.once('error', fail);
    });
  }
}

/** redis-server could not listen: another process holds its port. */
class PortTaken extends Error {}

/**
 * A TCP server that takes connections and never answers: a Redis that hangs (a stopped container behind a live
 * port forward). `connected` resolves at the first connection, `close` ends it and its connections. With `answer`, it
 * writes that text at each connection's first bytes (another server at the port: an HTTP one's 400).
 */
export async function silentRedis(answer?: string): Promise<{ url: string; connected: Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let onConnection: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (onConnection = resolve));
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (answer !== undefined) socket.once('data', () => socket.write(answer));
    onConnection();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    connected,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
