/**
 * An attempt that ends when its signal aborts, whatever the HTTP client is doing. undici does not cancel a request
 * while its connection is being made: an abort 200 ms into a connect to a silent TLS port rejected at 10.5 s (the
 * connect timeout), and through a proxy that accepted the TCP connection and never answered CONNECT the request waited
 * for the proxy client's headers timeout (300 s): a `--timeout 2s` run took 5 min and ignored SIGTERM. So the attempt
 * stops waiting at the abort; the request goes on alone until undici gives up on it, and an answer that comes late is
 * discarded (its body destroyed, the connection closed).
 *
 * Whether the request was written: undici publishes `undici:client:sendHeaders` when it writes a request's headers to
 * a connection. A request is matched to its attempt at `undici:request:create` by its body, a Buffer of the attempt's
 * own that undici's Request keeps as it is (a proxy's CONNECT has none). Not by timing: a request that waits in the
 * pool for a free connection (every one busy, some with requests given up on) is created later, when one frees, and
 * one matched only while `dispatch()` ran went untraced: written, then timed out, it read as never sent
 * (test/workers-ai-queued-trace.test.ts).
 */
import { channel } from 'node:diagnostics_channel';
import type { Dispatcher } from 'undici';

/** What one attempt knows about its request. */
export interface RequestTrace {
  /** undici wrote the request's headers to a connection (to the service, or into a proxy's tunnel to it). */
  written: boolean;
}

const traces = new WeakMap<object, RequestTrace>();
/** Each attempt's request body, to the attempt's trace, until undici creates the request. */
const byBody = new WeakMap<Buffer, RequestTrace>();
let subscribed = false;

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  channel('undici:request:create').subscribe((message) => {
    const { request } = message as { request: { body?: unknown } };
    const trace = Buffer.isBuffer(request.body) ? byBody.get(request.body) : undefined;
    if (trace !== undefined) traces.set(request, trace);
  });
  channel('undici:client:sendHeaders').subscribe((message) => {
    const { request } = message as { request: object };
    const trace = traces.get(request);
    if (trace !== undefined) trace.written = true;
  });
}

/** Requests given up on whose settlement is still to come (their connections may still be opening). */
export interface Abandoned {
  count: number;
}

/**
 * `dispatcher.request(options)`, rejected with `signal.reason` as soon as `signal` aborts. `options.body` is this
 * attempt's own Buffer (not shared with another request: it is how the request is found). `trace.written` says,
 * then, whether the request had been written. A request given up on is counted in `abandoned` until it settles; an
 * answer it gets is discarded.
 */
export function requestUntilAborted(
  dispatcher: Dispatcher,
  options: Dispatcher.RequestOptions & { body: Buffer },
  signal: AbortSignal,
  trace: RequestTrace,
  abandoned: Abandoned,
): Promise<Dispatcher.ResponseData> {
  subscribe();
  byBody.set(options.body, trace);
  const pending = dispatcher.request({ ...options, signal });
  return new Promise<Dispatcher.ResponseData>((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      abandoned.count++;
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (response) => {
        signal.removeEventListener('abort', onAbort);
        if (!settled) {
          settled = true;
          resolve(response);
          return;
        }
        abandoned.count--;
        response.body.on('error', () => {}).destroy();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!settled) {
          settled = true;
          reject(error);
          return;
        }
        abandoned.count--;
      },
    );
    if (signal.aborted) onAbort();
  });
}
