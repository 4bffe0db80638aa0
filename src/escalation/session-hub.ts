import type { AgentMessageFrame, SessionHub } from './types.ts';

type Sender = (frame: AgentMessageFrame) => boolean;

/**
 * Live chats of this process, by session. A session may have several tabs open: each is its own
 * sender, and a reply goes to all of them. A sender that returns false or throws is a closed
 * socket whose close event has not been handled yet: it is detached on the spot.
 *
 * Only chats connected to THIS process are reachable. With several processes (WORKERS>1, or
 * several nodes behind a load balancer) the operator's reply lands on whichever process served
 * the /v1/ops request, and the customer's socket may live elsewhere: delivery then needs a
 * shared bus, each process publishing the frame and delivering it to its own sockets (the
 * Redis pub/sub pattern of src/cache/redis-bus.ts). Until then a reply that finds no local chat
 * stays undelivered and reaches the customer when they next connect (Escalations.onConnect).
 */
export function createSessionHub(): SessionHub {
  const sessions = new Map<string, Set<Sender>>();

  const detach = (sessionId: string, sender: Sender): void => {
    const senders = sessions.get(sessionId);
    if (!senders) return;
    senders.delete(sender);
    if (senders.size === 0) sessions.delete(sessionId);
  };

  return {
    attach(sessionId, send) {
      // Wrapped so the same function attached twice (two tabs sharing a handler) counts twice.
      const sender: Sender = (frame) => send(frame);
      let senders = sessions.get(sessionId);
      if (!senders) sessions.set(sessionId, (senders = new Set()));
      senders.add(sender);
      return () => detach(sessionId, sender);
    },

    deliver(sessionId, frame) {
      const senders = sessions.get(sessionId);
      if (!senders) return false;
      let delivered = false;
      // A copy: detaching while iterating the live set would skip the next sender.
      for (const sender of [...senders]) {
        let ok = false;
        try {
          ok = sender(frame) === true;
        } catch {
          ok = false;
        }
        if (ok) delivered = true;
        else detach(sessionId, sender);
      }
      return delivered;
    },

    connected(sessionId) {
      return sessions.get(sessionId)?.size ?? 0;
    },
  };
}
