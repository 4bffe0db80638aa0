/**
 * Checks an answer while it streams, a chunk at a time, instead of once after the full answer.
 *
 * Each evaluation covers the new text plus `overlapChars` of already-checked text before it
 * (moved back to the start of the word or number it falls in), so a term split across two chunks
 * is still seen whole. Findings that lie entirely in already-checked text were judged with their
 * full context when that text was new, so they are not counted again.
 *
 * - async (the default for ordinary intents): text is sent as it arrives and checked when a chunk
 *   has accumulated; a failing chunk means text the customer already saw must be replaced
 *   (`sentBeforeCheck`), with remediation.ts's safeReplacement.
 * - sync (orders, payments): text is held until its chunk passes and released up to a sentence
 *   end when there is one, so the customer still sees steady progress in whole sentences. The
 *   first release does not wait for a full chunk: the text is checked as soon as a sentence has
 *   ended or more than the overlap has arrived, and what passed goes out (the overlap still held).
 */
import type { Audience, Guardrails, Verdict } from './types.ts';

export interface StreamCheckOptions {
  guardrails: Guardrails;
  audience: Audience;
  mode: 'async' | 'sync';
  /** evaluate once this many new characters have arrived @default 120 */
  chunkChars?: number;
  /** characters of the previous chunk re-checked with the next, so a term split across chunks is caught @default 32 */
  overlapChars?: number;
  /** told each chunk's evaluation time */
  onChunk?: (ms: number, chars: number) => void;
}

export interface StreamStep {
  /** text that may be sent to the customer now */
  send: string;
  /** set when a chunk failed; nothing more may be sent */
  violation?: Verdict;
  /** true when the failing text was already sent (async mode): the client must be told to replace it */
  sentBeforeCheck?: boolean;
}

export interface StreamCheck {
  push(text: string): StreamStep;
  /** evaluates what is left at the end of the stream */
  finish(): StreamStep;
  /** text that passed every check so far */
  readonly passed: string;
}

// A sentence ends at 。！？ or a newline, or at . ! ? followed by a space.
const SENTENCE_END = /[。！？!?\n]|[.!?](?= )/g;
// Characters of one word or number: the overlap never starts inside one, where a pattern's context check would misread it.
const ASCII_TOKEN = /[A-Za-z0-9@._%+\-]/;
// How far back the overlap may move to reach the start of a word or number (an e-mail address, an order number).
const MAX_SNAP = 64;

function charClass(ch: string | undefined): string {
  if (ch === undefined) return '';
  if (ASCII_TOKEN.test(ch)) return 'ascii';
  const c = ch.charCodeAt(0);
  if (c >= 0x30a1 && c <= 0x30ff) return 'katakana';
  if (c >= 0x3041 && c <= 0x309f) return 'hiragana';
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0xd800 && c <= 0xdfff)) return 'han';
  return '';
}

/** Starts a stream check for one answer. */
export function createStreamCheck(opts: StreamCheckOptions): StreamCheck {
  const { guardrails, audience, mode, onChunk } = opts;
  const chunkChars = Math.max(1, opts.chunkChars ?? 120);
  const overlapChars = Math.max(0, opts.overlapChars ?? 32);
  let text = '';
  /** text[0, checked) has been evaluated */
  let checked = 0;
  /** text[0, released) passed and (sync) was sent; in async everything checked is released */
  let released = 0;
  /** characters sent to the customer */
  let sent = 0;
  let violation: Verdict | undefined;
  /** ends of pushed pieces after `released`: token boundaries, where sync mode may cut */
  let boundaries: number[] = [];

  function windowStart(from: number): number {
    let ws = Math.max(0, from - overlapChars);
    const limit = Math.max(0, ws - MAX_SNAP);
    while (ws > limit && charClass(text[ws - 1]) !== '' && charClass(text[ws - 1]) === charClass(text[ws])) ws--;
    if (ws > 0 && text.charCodeAt(ws) >= 0xdc00 && text.charCodeAt(ws) <= 0xdfff) ws--;
    return ws;
  }

  /** Evaluates text[from, to) with its overlap; returns the violation (offsets in the whole answer) or undefined. */
  function evaluate(from: number, to: number): Verdict | undefined {
    const t0 = performance.now();
    let ws = windowStart(from);
    let verdict: Verdict | undefined;
    let filtersRun = 0;
    // At most a few rounds: a finding wholly in old text can only shrink the window.
    for (let round = 0; round < 4; round++) {
      const v = guardrails.checkOutput(text.slice(ws, to), audience);
      filtersRun += v.filtersRun;
      if (v.ok) break;
      const findings = v.findings.map((f) => ({ ...f, start: f.start + ws, end: f.end + ws }));
      const fresh = findings.filter((f) => f.end > from);
      if (fresh.length > 0) {
        verdict = { ok: false, findings: fresh, filtersRun, ms: 0 };
        break;
      }
      // Only old text failed (a fragment cut from its context): the cheap tier then skipped the
      // expensive one for the new text, so check again from after the old finding.
      const next = Math.max(...findings.map((f) => f.end));
      if (next <= ws || next >= to) break;
      ws = next;
    }
    const ms = performance.now() - t0;
    onChunk?.(ms, to - from);
    if (verdict) verdict.ms = ms;
    return verdict;
  }

  /** Sync mode: where to cut the checked text so what is released ends a sentence, or at least a token well before the end. */
  function cutPoint(end: number): number {
    let cut = -1;
    SENTENCE_END.lastIndex = released;
    for (let m = SENTENCE_END.exec(text); m && m.index < end; m = SENTENCE_END.exec(text)) cut = m.index + m[0].length;
    if (cut > released) return cut;
    // No sentence end: hold back the last overlapChars, so a term only partly arrived is not half sent.
    const limit = end - overlapChars;
    for (let i = boundaries.length - 1; i >= 0; i--) if (boundaries[i] <= limit && boundaries[i] > released) return boundaries[i];
    let fallback = limit;
    if (fallback > 0 && text.charCodeAt(fallback) >= 0xdc00 && text.charCodeAt(fallback) <= 0xdfff) fallback--;
    return Math.max(released, fallback);
  }

  /** True when a sentence ends in text[from - 1, end): the piece just pushed closes one. */
  function endsSentence(t: string, from: number): boolean {
    SENTENCE_END.lastIndex = Math.max(0, from - 1);
    const m = SENTENCE_END.exec(t);
    return m !== null;
  }

  function fail(v: Verdict): StreamStep {
    violation = v;
    return { send: '', violation: v, sentBeforeCheck: sent > released };
  }

  function release(to: number): string {
    const out = text.slice(released, to);
    released = to;
    sent = Math.max(sent, to);
    boundaries = boundaries.filter((b) => b > to);
    return out;
  }

  return {
    push(piece) {
      if (violation) return { send: '' };
      text += piece;
      if (mode === 'async') {
        if (text.length - checked >= chunkChars) {
          const v = evaluate(checked, text.length);
          // The piece that completed a failing chunk is withheld: it has not been sent yet.
          if (v) return fail(v);
          checked = released = text.length;
        }
        sent += piece.length;
        return { send: piece };
      }
      boundaries.push(text.length);
      // Until the customer has seen anything, the text is checked as soon as some of it could go
      // out (past the held-back overlap, or a whole sentence): the answer's first words wait for
      // their own check, not for a full chunk (at 400 tokens/s a 120-character Japanese chunk
      // held the first token ~150 ms). After that, a chunk at a time.
      const first = released === 0 && (text.length > overlapChars || endsSentence(text, text.length - piece.length));
      if (!first && text.length - checked < chunkChars) return { send: '' };
      const v = evaluate(checked, text.length);
      if (v) return fail(v);
      checked = text.length;
      return { send: release(cutPoint(text.length)) };
    },
    finish() {
      if (violation) return { send: '' };
      if (checked < text.length) {
        const v = evaluate(checked, text.length);
        if (v) return fail(v);
        checked = text.length;
      }
      if (mode === 'async') {
        released = text.length;
        return { send: '' };
      }
      return { send: release(text.length) };
    },
    get passed() {
      return text.slice(0, released);
    },
  };
}
