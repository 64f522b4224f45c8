import { existsSync } from 'node:fs';

/** Docker leaves /.dockerenv in every container, Podman /run/.containerenv: enough to word advice, never to decide anything. */
export function inContainer(): boolean {
  return existsSync('/.dockerenv') || existsSync('/run/.containerenv');
}

/** A connection refused at a loopback address (127.x.x.x, ::1; `localhost` resolves to one), as undici says it. */
const LOOPBACK_REFUSED = /\bECONNREFUSED (?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|\[::1\]):\d+/;

/**
 * In a container, 127.0.0.1 is the container itself, not the machine it runs on: a base URL pointing at `serve` (or a
 * gateway) on the host was said as "the service could not be reached … check that it is up and the base URL", with
 * the server up and the URL right as seen from the host. The remedy is docs/container.md's (`--network host`).
 * `container`: whether the run is in one (a parameter for the tests). Said before the usual check, which it leaves as it was.
 */
export function loopbackInContainerHint(cause: string, container: boolean = inContainer()): string {
  if (!container || !LOOPBACK_REFUSED.test(cause)) return '';
  return (
    "; this run is in a container: unless it shares the host's network (--network host), 127.0.0.1 and localhost are the container itself, " +
    "not the host: to reach a server on the host, run the container with --network host, or point the base URL at the host's address (docs/container.md)"
  );
}
