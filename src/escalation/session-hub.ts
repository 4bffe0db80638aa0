import type { AgentMessageFrame, SessionHub } from './types.ts';

type Sender = (frame: AgentMessageFrame) => boolean;

/**
 * Live chats of this process, by session. A session may have several tabs open: each is its own
 * sender, and a reply goes to all of them. A sender that returns false or throws is a closed
 * socket whose close event has not been handled yet: it is detached on the spot.
 *
 * Only chats connected to THIS process are reachable from here. With several processes
 * (WORKERS>1, or nodes of a fleet) the escalations publish each reply on the message bus and
 * every process delivers it to its own chats of the session through its hub (escalations.ts).
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

    sessions: () => [...sessions.keys()],
  };
}
