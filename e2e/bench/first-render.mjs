// How long the client list takes to appear: `goto` until the 20th card is on screen, five
// times, in Debian's Chromium against the server `cargo xtask bench` starts with the demo
// data. A figure to read, not a test: it asserts nothing and is not counted by
// `cargo xtask test`.
import { launch, newPage, signIn } from '../helpers.mjs';

const RUNS = 5;
const browser = await launch();
try {
  const page = await newPage(browser);
  await signIn(page, 'analyst');
  const timings = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await page.goto('/clients?sort=NAME_ASC');
    await page.locator('.client-card').nth(19).waitFor();
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  const ms = (t) => `${Math.round(t)} ms`;
  console.log(
    `first render of the client list (20 of 60 clients), ${RUNS} runs: `
    + `median ${ms(timings[Math.floor(RUNS / 2)])}, min ${ms(timings[0])}, max ${ms(timings[RUNS - 1])}`,
  );
} finally {
  await browser.close();
}
