// Entry point of `npm start` (and of the local fleet's nodes): Node's module compile cache is
// turned on before the first TypeScript module is loaded, then main.ts runs. main.ts itself turns
// the cache on only after it has loaded config.ts (and zod) and has been stripped of its types:
// starting there, every restart loaded the type stripper (amaro) and stripped and compiled those
// modules again — ~105 ms of CPU of a ~2 s restart (217 vs 112 ms to load config.ts, session 23).
// From here a warm restart strips nothing and never loads the stripper. Plain JavaScript for that
// reason; `node src/main.ts` still works (its own call then turns the cache on, as before).
import { enableCompileCache } from 'node:module';
import { join, resolve } from 'node:path';

// The directory main.ts uses: DATA_DIR as config.ts reads it (unset or empty: its default).
enableCompileCache(join(resolve(process.env.DATA_DIR || './var'), 'compile-cache'));
await import('./main.ts');
