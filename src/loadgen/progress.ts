/** The figures the live progress line shows. */
export interface ProgressState {
  elapsedS: number;
  phase: string;
  sessionsOpen: number;
  messagesPerS: number;
  p99TtftMs: number;
  errors: number;
  messages: number;
}

/**
 * A status line on stderr: rewritten in place on a terminal, or one plain line every 5 s when
 * stderr is a file or pipe (CI logs should not fill with carriage returns).
 */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }): { update(s: ProgressState): void; done(): void } {
  const tty = stream.isTTY === true;
  let lastPlain = -Infinity;
  let shown = false;
  return {
    update(s) {
      const line = `[${s.elapsedS.toFixed(0).padStart(4)}s] ${s.phase.padEnd(18)} sessions ${String(s.sessionsOpen).padStart(6)}  msg/s ${s.messagesPerS.toFixed(1).padStart(7)}  p99 ttft ${s.p99TtftMs.toFixed(0).padStart(6)} ms  errors ${s.errors}/${s.messages}`;
      if (tty) {
        stream.write(`\r\x1b[2K${line}`);
        shown = true;
      } else if (s.elapsedS - lastPlain >= 5) {
        stream.write(`${line}\n`);
        lastPlain = s.elapsedS;
      }
    },
    done() {
      if (tty && shown) stream.write('\n');
    },
  };
}
