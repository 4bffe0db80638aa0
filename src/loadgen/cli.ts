import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runIdle } from './idle.ts';
import { parseCommand, USAGE } from './options.ts';
import { UsageError } from './phases.ts';
import type { LoadTestResult } from './result.ts';
import { runLoadTest } from './run.ts';
import { runRate } from './rate.ts';
import { formatSummary } from './summary.ts';

/** Exit codes: every SLO held, an SLO failed, the command line was wrong. */
export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

/** The HTML report, rendered by `report/html.ts` when that module is present. */
async function writeReport(result: LoadTestResult, file: string): Promise<void> {
  const module = new URL('./report/html.ts', import.meta.url);
  if (!existsSync(fileURLToPath(module))) {
    process.stderr.write(`no report module (src/loadgen/report/html.ts); ${file} not written\n`);
    return;
  }
  const { renderReport } = (await import(module.href)) as { renderReport(r: LoadTestResult): string };
  writeFileSync(file, renderReport(result));
}

/** `npm run loadtest -- [options]`: runs, prints the summary, writes JSON/HTML, exits by the verdict. */
export async function main(argv: string[]): Promise<number> {
  let command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`loadtest: ${error.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.passed;
  }
  if ((command.kind === 'load' || command.kind === 'rate') && command.options.profile.customers.memberShare + command.options.profile.customers.primeShare > 0 && !command.options.jwtSecret) {
    process.stderr.write('loadtest: no --jwt-secret or --data-dir: every session runs as a guest\n');
  }
  const result = command.kind === 'idle' ? await runIdle(command.options) : command.kind === 'rate' ? await runRate(command.options) : await runLoadTest(command.options);
  process.stdout.write(`${formatSummary(result)}\n`);
  if (command.out) writeFileSync(command.out, `${JSON.stringify(result, null, 2)}\n`);
  if (command.report) await writeReport(result, command.report);
  return result.passed ? EXIT.passed : EXIT.failed;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`loadtest: ${(error as Error).stack ?? error}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
