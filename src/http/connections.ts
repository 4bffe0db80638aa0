/** Open client connections by transport, and open chats (distinct sessions with a connection or a reply streaming). */
export interface ConnectionTracker {
  /** Counts one connection of `sessionId` over `transport` until the returned function is called (idempotent). */
  open(transport: 'ws' | 'sse' | 'http', sessionId: string): () => void;
  stats(): { openChats: number; byTransport: Record<string, number> };
}

/** In-process counts, read by the metrics at scrape time. */
export function createConnectionTracker(): ConnectionTracker {
  const byTransport: Record<string, number> = { ws: 0, sse: 0, http: 0 };
  const sessions = new Map<string, number>();
  return {
    open(transport, sessionId) {
      byTransport[transport]++;
      sessions.set(sessionId, (sessions.get(sessionId) ?? 0) + 1);
      let closed = false;
      return () => {
        if (closed) return;
        closed = true;
        byTransport[transport]--;
        const n = (sessions.get(sessionId) ?? 1) - 1;
        if (n <= 0) sessions.delete(sessionId);
        else sessions.set(sessionId, n);
      };
    },
    stats: () => ({ openChats: sessions.size, byTransport: { ...byTransport } }),
  };
}
