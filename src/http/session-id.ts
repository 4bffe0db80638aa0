import { z } from 'zod';

/** A session id a client may present: short and URL-safe, so it is safe in logs and keys. */
export const sessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'session ids are 1-128 characters of A-Z a-z 0-9 _ -');
