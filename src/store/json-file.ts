import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** Reads a JSON array and validates every element; the error names the file, the kind and the offending path. */
export async function loadJsonArray<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T[]> {
  const raw: unknown = JSON.parse(await readFile(path, 'utf8'));
  const parsed = z.array(schema).safeParse(raw);
  if (!parsed.success) throw new Error(`${path}: invalid ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
