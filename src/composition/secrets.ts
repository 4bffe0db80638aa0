import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '../config.ts';

/** The operator credential: OPS_TOKEN, or generated once and kept in DATA_DIR so it survives restarts. */
export function operatorToken(config: Config, dataDir: string): string {
  return config.OPS_TOKEN ?? keptSecret(join(dataDir, 'ops-token'), 24);
}

/** The credential of GET /metrics on the chat port: METRICS_TOKEN, or generated once and kept in DATA_DIR (not the operator's: a scraper's credential should open the metrics only). */
export function metricsToken(config: Config, dataDir: string): string {
  return config.METRICS_TOKEN ?? keptSecret(join(dataDir, 'metrics-token'), 24);
}

/** The HS256 secret: configured, or generated once and kept in DATA_DIR so tokens survive restarts. */
export function jwtSecret(config: Config, dataDir: string): Uint8Array {
  return new TextEncoder().encode(config.AUTH_JWT_SECRET ?? keptSecret(join(dataDir, 'jwt-secret'), 32));
}

/** The key of customers' resume tokens: configured, or generated once and kept in DATA_DIR. */
export function sessionSecret(config: Config, dataDir: string): Uint8Array {
  return new TextEncoder().encode(config.SESSION_SECRET ?? keptSecret(join(dataDir, 'session-secret'), 32));
}

/** A random secret kept in `file` (mode 0600), created on first use. */
export function keptSecret(file: string, bytes: number): string {
  // 'wx' fails if another worker created it first; then everybody reads the same file.
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(bytes).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}
