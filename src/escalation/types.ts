import type { CallOptions } from '../shared/call.ts';

/** Who wrote a line of a handoff ticket. */
export type TicketAuthor = 'customer' | 'operator';

/** One line of a handoff ticket's thread. */
export interface TicketMessage {
  id: string;
  from: TicketAuthor;
  text: string;
  /** Operator's display name (operator lines). */
  operator?: string;
  at: number; // epoch ms
  /** Operator lines: true once the customer's chat received it (live, or when they reconnected). */
  delivered?: boolean;
}

/** A customer asked for a human: the ticket operators work from on /ops. */
export interface Ticket {
  id: string;
  sessionId: string;
  customer: { kind: 'guest' | 'member' | 'prime'; customerId?: string; name?: string };
  language: 'ja' | 'en';
  /** open: waiting for an operator; answered: an operator replied; closed: done. */
  status: 'open' | 'answered' | 'closed';
  createdAt: number;
  updatedAt: number;
  /** The thread, oldest first: the customer's request first. */
  messages: TicketMessage[];
}

/** Port: durable handoff tickets (SQLite embedded; the same shape fits a DynamoDB table keyed by id with a session index). */
export interface TicketStore {
  create(ticket: Ticket, opts?: CallOptions): Promise<void>;
  get(id: string, opts?: CallOptions): Promise<Ticket | undefined>;
  /** Newest first; `status` filters. */
  list(query: { status?: Ticket['status'][]; limit: number }, opts?: CallOptions): Promise<Ticket[]>;
  /** The session's ticket that is not closed, if any (a second request for a human joins it). */
  openForSession(sessionId: string, opts?: CallOptions): Promise<Ticket | undefined>;
  addMessage(ticketId: string, message: TicketMessage, opts?: CallOptions): Promise<void>;
  setStatus(ticketId: string, status: Ticket['status'], at: number, opts?: CallOptions): Promise<void>;
  /** Operator lines of a session not yet delivered to the customer, oldest first. */
  undelivered(sessionId: string, opts?: CallOptions): Promise<{ ticketId: string; message: TicketMessage }[]>;
  markDelivered(ticketId: string, messageIds: string[], opts?: CallOptions): Promise<void>;
  close(): void;
}

/**
 * The frame an operator's reply arrives as in the customer's chat (protocol extension; also
 * sent right after `session` when a customer reconnects to a session with undelivered replies).
 */
export interface AgentMessageFrame {
  type: 'agent_message';
  ticketId: string;
  messageId: string;
  text: string;
  operator: string;
  at: number;
}

/**
 * Live chats by session, so an operator's reply reaches the customer's open chat. A session may
 * have several tabs open: each gets the frame.
 */
export interface SessionHub {
  /** Registers one open chat of a session; returns the function that unregisters it. `send` returns false when the socket is no longer open. */
  attach(sessionId: string, send: (frame: AgentMessageFrame) => boolean): () => void;
  /** Sends to every open chat of the session; true when at least one received it. */
  deliver(sessionId: string, frame: AgentMessageFrame): boolean;
  /** Open chats of a session (0: the customer is not connected). */
  connected(sessionId: string): number;
  /** Sessions with at least one open chat here. */
  sessions(): string[];
}

/** One open chat as the handoff sees it: `close` when the socket closes; `caughtUp` settles once the replies it had missed were sent. */
export interface AgentChat {
  close(): void;
  caughtUp: Promise<void>;
}

/** Human handoff: opened by the pipeline on the `escalation` intent, worked from /ops. */
export interface Escalations {
  /**
   * Opens a ticket for the session (or adds the message to its ticket that is still open) and
   * alerts the operators' webhook on a new ticket. `text` is already redacted by the guardrails.
   */
  open(req: { sessionId: string; customer: Ticket['customer']; language: 'ja' | 'en'; text: string }, opts?: CallOptions): Promise<{ ticket: Ticket; created: boolean }>;
  /** A later customer message in a session with an open ticket: added to the thread so the operator sees it. */
  customerSaid(sessionId: string, text: string): Promise<void>;
  /**
   * An operator's reply: stored, then delivered live to the customer's open chats on whichever
   * process holds them (or on reconnect); `delivered` is what the store says once every process
   * answered: a process that delivered it marked it.
   */
  reply(ticketId: string, reply: { text: string; operator: string }): Promise<{ ticket: Ticket; delivered: boolean }>;
  close(ticketId: string): Promise<Ticket>;
  get(ticketId: string): Promise<Ticket | undefined>;
  list(query: { status?: Ticket['status'][]; limit: number }): Promise<Ticket[]>;
  /** Called when a customer (re)connects: sends the operator lines they have not received yet. */
  onConnect(sessionId: string, send: (frame: AgentMessageFrame) => boolean): Promise<void>;
  /**
   * A customer's chat opened: attached to the hub and sent what it missed, through one sender
   * that never sends a chat the same reply twice (a reply stored while the chat connects can come
   * both ways).
   */
  connect(sessionId: string, send: (frame: AgentMessageFrame) => boolean): AgentChat;
  /** Open chats of the session in every process of the service (this one's alone when the others cannot be asked). */
  connected(sessionId: string): Promise<number>;
  /** After the bus may have missed replies (a gap): sends every chat open here what its session is still owed. */
  resync(): Promise<void>;
  /** This process's chats of every session. */
  hub: SessionHub;
  /** Stops taking replies from the bus (the service is closing). */
  stop(): void;
}
