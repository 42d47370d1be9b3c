// The seed's checklist item 11 in a browser: a client with 500 linked jobs (made through the
// API: createJob, then linkJobs in batches of 100), and how long its page takes until the
// dashboard's figures and funnel are drawn, and its Jobs tab until the first page of jobs is
// listed; five times each, in Debian's Chromium against the server `cargo xtask bench`
// starts with the demo data. A figure to read, not a test.
import { apiLogin, launch, newPage, signIn } from '../helpers.mjs';

const RUNS = 5;
const JOBS = 500;

async function post(page, token, query, variables) {
  return page.evaluate(async ({ token, query, variables }) => {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const answer = await response.json();
    if (answer.errors) throw new Error(JSON.stringify(answer.errors));
    return answer.data;
  }, { token, query, variables });
}

const browser = await launch();
try {
  const page = await newPage(browser);
  await page.goto('/login');
  const { token } = await apiLogin(page, 'manager');
  const stamp = Date.now();
  const client = (await post(page, token,
    'mutation($i: CreateClientInput!) { createClient(input: $i) { id } }',
    { i: { name: `Five Hundred Jobs ${stamp}`, confirmNotDuplicate: true } })).createClient.id;
  const statuses = ['OPEN', 'OPEN', 'ON_HOLD', 'DRAFT', 'OPEN'];
  const made = performance.now();
  const ids = [];
  for (let n = 0; n < JOBS; n += 1) {
    const job = await post(page, token, 'mutation($i: CreateJobInput!) { createJob(input: $i) { id } }',
      { i: { title: `Bench role ${stamp}-${n}`, status: statuses[n % statuses.length] } });
    ids.push(job.createJob.id);
  }
  for (let n = 0; n < JOBS; n += 100) {
    await post(page, token, 'mutation($c: ID!, $j: [ID!]!) { linkJobs(clientId: $c, jobIds: $j) { id } }',
      { c: client, j: ids.slice(n, n + 100) });
  }
  const making = performance.now() - made;

  await signIn(page, 'manager');
  const time = async (path, ready) => {
    const timings = [];
    for (let i = 0; i < RUNS; i += 1) {
      const started = performance.now();
      await page.goto(path);
      await ready();
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    return timings;
  };
  const dashboard = await time(`/clients/${client}`, async () => {
    await page.locator('.stat-value').first().waitFor();
    await page.getByRole('img', { name: 'Pipeline funnel' }).waitFor();
  });
  const jobs = await time(`/clients/${client}/jobs`, async () => {
    await page.getByRole('region', { name: "The client's jobs" }).getByRole('row').nth(20).waitFor();
  });
  const ms = (t) => `${Math.round(t)} ms`;
  const line = (t) => `median ${ms(t[Math.floor(RUNS / 2)])}, min ${ms(t[0])}, max ${ms(t[RUNS - 1])}`;
  console.log(`500 jobs made and linked through the API in ${ms(making)}`);
  console.log(`client page with 500 linked jobs until the dashboard is drawn, ${RUNS} runs: ${line(dashboard)}`);
  console.log(`its Jobs tab until the first 20 jobs are listed, ${RUNS} runs: ${line(jobs)}`);
} finally {
  await browser.close();
}
