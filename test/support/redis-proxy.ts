/**
 * A TCP proxy in front of a real redis-server that can hold back Redis's replies: a Redis that took the connection
 * and then stops answering (a paused or overloaded server, a stopped container behind a live port forward). What the
 * client sends still goes through; what Redis answers is kept until `release`.
 */
import net from 'node:net';

export interface HoldingProxy {
  url: string;
  /**
   * On connections opened from now on, Redis's replies are held until `release` once the client has sent `text`
   * (upper case, as RESP on the wire: the ready check is `\r\nINFO\r\n`).
   */
  holdNewAfter(text: string): void;
  /** Resolves once such a connection has sent `text` (upper case). */
  sent(text: string): Promise<void>;
  /** From now on, Redis's replies are held on every connection, open or new, until `release`. */
  holdAll(): void;
  /** What the clients sent since `holdAll` (upper case), on any connection. */
  sentSinceHoldAll(): string;
  release(): void;
  close(): Promise<void>;
}

export async function holdingProxy(target: number): Promise<HoldingProxy> {
  let holdAfter: string | undefined;
  let released = false;
  let holdingAll = false;
  let sinceHoldAll = '';
  const held: Array<() => void> = [];
  let sentText = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const proxy = await proxyServer(target, (client, upstream) => {
    const watched = holdAfter !== undefined && !released;
    const trigger = holdAfter;
    let text = '';
    const holding = (): boolean => !released && (holdingAll || (watched && trigger !== undefined && text.includes(trigger)));
    client.on('data', (chunk: Buffer) => {
      if (holdingAll) sinceHoldAll += chunk.toString('latin1').toUpperCase();
      if (watched) {
        text += chunk.toString('latin1').toUpperCase();
        sentText += chunk.toString('latin1').toUpperCase();
        for (const waiter of waiters.filter((w) => sentText.includes(w.text))) waiter.resolve();
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (holding()) held.push(() => client.write(chunk));
      else client.write(chunk);
    });
    const endBoth = (): void => {
      const flushThenEnd = (): void => {
        client.end();
        upstream.end();
      };
      if (holding()) held.push(flushThenEnd);
      else flushThenEnd();
    };
    client.on('end', () => upstream.end());
    upstream.on('end', endBoth);
  });
  return {
    url: proxy.url,
    holdNewAfter: (text) => (holdAfter = text),
    sent: (text) =>
      new Promise<void>((resolve) => {
        if (sentText.includes(text)) resolve();
        else waiters.push({ text, resolve });
      }),
    holdAll: () => {
      holdingAll = true;
    },
    sentSinceHoldAll: () => sinceHoldAll,
    release: () => {
      released = true;
      for (const write of held.splice(0)) write();
    },
    close: proxy.close,
  };
}

/**
 * A TCP proxy in front of a real redis-server whose replies pass through `rewrite` (latin1 text, one chunk at a time:
 * for the short error replies a test rewrites, which arrive whole): another Redis's wording, such as a Redis before 6's
 * `-ERR invalid password` where the installed one says `-WRONGPASS …`.
 */
export function rewritingProxy(target: number, rewrite: (reply: string) => string): Promise<{ url: string; close: () => Promise<void> }> {
  return proxyServer(target, (client, upstream) => {
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => client.write(rewrite(chunk.toString('latin1')), 'latin1'));
    upstream.on('end', () => client.end());
  });
}

/** A loopback server that connects each client to `target` and hands both sockets to `relay`; close destroys them all. */
async function proxyServer(target: number, relay: (client: net.Socket, upstream: net.Socket) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    relay(client, upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
