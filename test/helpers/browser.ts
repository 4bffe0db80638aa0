import { chromium, type Browser } from 'playwright-core';

/** The machine's Chromium (apt package; `.ci/run` installs it), overridable for other machines. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium for the page tests: no sandbox (containers), no GPU, and none of the
 * background traffic (updates, sync, QUIC probes) a test machine without internet would wait on.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
