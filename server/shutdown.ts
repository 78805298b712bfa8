// Graceful shutdown of the HTTP server: stop listening, close idle connections, let every request in flight
// finish — its answer fully written — and close each connection as its last answer is out.
//
// Node's own server.close() is not enough: it calls closeIdleConnections(), which counts a connection as idle as
// soon as its handler has called response.end(), while a large answer may still be waiting to be written to a slow
// client. Those connections would be destroyed and the answers cut off. This module counts a request as in flight
// until its response has closed (all of it handed to the operating system), and closes only the listening socket
// itself (net.Server's close) so that Node does not sweep such connections away.
//
// Behind a load balancer, shutdown can start with a drain: for a while the server goes on accepting and
// answering, but its readiness answer (GET /readyz) is 503, so the balancer's health check takes it out of
// rotation before it stops listening; connections that arrive then still get an answer.
import type { Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

export interface ShutdownControl {
  /** True once shutdown began (the drain included): answers then carry `Connection: close`. */
  readonly closing: boolean;
  /**
   * Goes on serving for `drainMs` (0: none), then stops accepting connections; resolves true when every request
   * in flight finished, false `graceMs` after the drain.
   */
  shutdown(graceMs: number, drainMs?: number): Promise<boolean>;
}

/** Call right after creating the server, before it accepts connections. */
export function trackConnections(server: Server): ShutdownControl {
  /** Open connections → requests received on them whose response has not closed yet. */
  const inFlight = new Map<Socket, number>();
  let closing = false;

  const closeWhenIdle = (socket: Socket): void => {
    if ((inFlight.get(socket) ?? 0) === 0) socket.destroySoon(); // after any bytes still buffered are written
  };

  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  server.on('request', (request, response) => {
    const socket = request.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    // A handler registered before this listener may have answered already.
    if (closing && !response.headersSent) response.setHeader('Connection', 'close');
    // 'close' comes after 'finish' (the whole answer handed to the OS) or when the client went away.
    response.once('close', () => {
      if (!inFlight.has(socket)) return;
      inFlight.set(socket, Math.max(0, inFlight.get(socket)! - 1));
      if (closing) closeWhenIdle(socket);
    });
  });

  return {
    get closing() {
      return closing;
    },
    async shutdown(graceMs, drainMs = 0) {
      closing = true;
      if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          for (const socket of inFlight.keys()) socket.destroy();
          resolve(false);
        }, graceMs);
        timer.unref();
        // The listening socket only; the callback runs once the last connection has closed.
        NetServer.prototype.close.call(server, () => {
          clearTimeout(timer);
          resolve(true);
        });
        for (const socket of inFlight.keys()) closeWhenIdle(socket);
      });
    },
  };
}
