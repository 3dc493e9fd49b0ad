// e2e.mjs - the viewer as people use it, in Debian's chromium (issue 7).
//
// Builds a small archive from generated scans (daftar-gen, daftar run),
// adds an archivist and an admin with `daftar user add` (password on
// stdin), starts `daftar serve` on a free port, then in a real browser: log
// in, search a worker by a variant spelling of the name, open the worker's
// history, open a document (the page image must load), correct a field
// and see it locked, log out, log in as the admin and find the correction
// in the audit log, then read the document as staff (national ID masked).
// Every page is saved as a screenshot (artifacts, in
// $DAFTAR_SCREENSHOTS or ./screenshots).  Console errors (a CSP violation,
// a failed script) fail the test.
//
// Environment: DAFTAR_BIN, DAFTAR_GEN (set by CTest).  Exit 0 pass, 1 fail,
// 77 skipped (no chromium, or playwright-core cannot be installed).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const SKIP = 77;
const STEP_TIMEOUT_MS = 20000;
const SERVE_START_MS = 20000;

function need(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`e2e: ${name} is not set`);
    process.exit(1);
  }
  return v;
}

const BIN = need('DAFTAR_BIN');
const GEN = need('DAFTAR_GEN');
const SHOTS = process.env.DAFTAR_SCREENSHOTS || join(process.cwd(), 'screenshots');

if (!existsSync(CHROMIUM)) {
  console.error(`e2e: SKIP: ${CHROMIUM} missing (scripts/setup.sh installs chromium)`);
  process.exit(SKIP);
}
if (!existsSync(join(HERE, 'node_modules', 'playwright-core'))) {
  try {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: HERE, stdio: 'inherit' });
  } catch (e) {
    console.error(`e2e: SKIP: npm ci failed in ${HERE}: ${e.message}`);
    process.exit(SKIP);
  }
}
const { chromium } = await import('playwright-core');

const work = mkdtempSync(join(tmpdir(), 'daftar-browser-'));
const archive = join(work, 'archive');
const cleanups = [];
let failed = false;

function daftar(args, input) {
  return execFileSync(BIN, args, {
    input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, OMP_THREAD_LIMIT: '1', DAFTAR_ARCHIVE: archive },
  });
}

function check(cond, what) {
  if (!cond)
    throw new Error(`check failed: ${what}`);
  console.log(`ok - ${what}`);
}

// ---- the archive -------------------------------------------------------------

// A name spelled as a clerk might type it: Persian yeh for Arabic yeh, or
// Kurdish ae for heh (the index folds both), else alef with hamza for alef.
function variantOf(name) {
  if (name.includes('ي')) return name.replace('ي', 'ی');
  if (name.includes('ی')) return name.replace('ی', 'ي');
  if (name.includes('ه')) return name.replace('ه', 'ە');
  if (name.includes('ە')) return name.replace('ە', 'ه');
  if (name.includes('ا')) return name.replace('ا', 'أ');
  return null;
}

function buildArchive() {
  const batch = join(work, 'batch');
  execFileSync(GEN, ['batch', '--out', batch, '--seed', '11', '--files', '2',
    '--docs', '2', '--degrade', 'none'], { stdio: 'inherit' });
  const truth = readFileSync(join(batch, 'truth.jsonl'), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l));
  daftar(['run', '--quiet', batch]);
  // The first worker name that has a letter with a variant and whose
  // variant spelling finds a linked worker through the CLI (OCR may have
  // misread some names or numbers: the browser then looks for that worker).
  for (const t of truth) {
    const name = t.fields && t.fields.worker_name;
    const variant = name && variantOf(name);
    if (!variant)
      continue;
    const hits = JSON.parse(daftar(['search', '--json', variant])).results;
    const hit = hits.find((h) => h.worker && h.worker.ssn);
    if (hit)
      return { name, variant, ssn: hit.worker.ssn };
  }
  throw new Error('no generated worker with a variant-spellable name was indexed');
}

// ---- the server ----------------------------------------------------------------

function startServer() {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['serve', '--listen', '127.0.0.1:0'],
      { stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, DAFTAR_ARCHIVE: archive } });
    cleanups.push(() => p.kill('SIGTERM'));
    const timer = setTimeout(() => reject(new Error('serve did not start')), SERVE_START_MS);
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    p.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

// ---- the browser -----------------------------------------------------------------

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function login(page, base, user, password) {
  await page.goto(`${base}/login`);
  await page.fill('form.login input[name=user]', user);
  await page.fill('form.login input[name=password]', password);
  const [resp] = await Promise.all([page.waitForNavigation(),
    page.click('form.login button[type=submit]')]);
  if (new URL(page.url()).pathname === '/login') {
    await shot(page, `login-failed-${user}`);
    throw new Error(`login as ${user} refused (HTTP ${resp && resp.status()})`);
  }
}

async function logout(page, base) {
  await Promise.all([page.waitForNavigation(), page.click('form.logout button[type=submit]')]);
  check(new URL(page.url()).pathname === '/login', 'logout lands on the login page');
  await page.goto(`${base}/`);
  check(new URL(page.url()).pathname === '/login', 'after logout the search page asks to log in');
}

async function browse(base, who) {
  const profile = mkdtempSync(join(work, 'profile-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    locale: 'ckb',
  });
  cleanups.unshift(() => ctx.close());
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('requestfailed', (r) => problems.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    // 401/403/303 are answers the test provokes; anything else >= 400 is not
    if (r.status() >= 400 && r.status() !== 401 && r.status() !== 403)
      problems.push(`${r.url()}: HTTP ${r.status()}`);
  });

  // 1. log in as the archivist
  await page.goto(`${base}/`);
  check(new URL(page.url()).pathname === '/login', 'an anonymous visit goes to the login page');
  check(await page.getAttribute('html', 'dir') === 'rtl', 'the login page is right-to-left');
  await shot(page, '01-login');
  await login(page, base, 'clerk', who.archivistPassword);
  check(new URL(page.url()).pathname === '/', `the archivist lands on the search page (at ${page.url()})`);
  await shot(page, '02-search');

  // 2. search by a variant spelling
  await page.fill('input[type=search][name=q]', who.variant);
  await Promise.all([page.waitForNavigation(), page.press('input[type=search][name=q]', 'Enter')]);
  const workerLink = page.locator(`a.worker[href="/worker/${who.ssn}"]`).first();
  check(await workerLink.count() === 1, `the variant spelling finds worker ${who.ssn}`);
  await shot(page, '03-results');

  // 3. the worker's history
  await Promise.all([page.waitForNavigation(), workerLink.click()]);
  await shot(page, '04-worker');
  check(new URL(page.url()).pathname === `/worker/${who.ssn}`, 'the worker page opens');
  check((await page.textContent('main')).includes(who.ssn), 'the worker page shows the SSN');
  check(await page.locator('main a[href^="/document/"]').count() >= 1,
    'the worker page lists the documents behind the history');

  // 4. a document of that worker, with its page image
  const docLink = page.locator('main a[href^="/document/"]').first();
  await Promise.all([page.waitForNavigation(), docLink.click()]);
  const docPath = new URL(page.url()).pathname;
  check(/^\/document\/\d+$/.test(docPath), 'the document page opens');
  await page.waitForFunction(() => {
    const i = document.querySelector('img[src*="/pages/1.png"]');
    return i && i.complete && i.naturalWidth > 0;
  });
  await shot(page, '05-document');
  check(true, 'the page image loads');
  check(await page.locator('rect.box').count() >= 1, 'field boxes are drawn over the image');

  // 5. correct a field: it comes back locked with the new value
  const row = page.locator('tr[data-field="monthly_wage"]');
  await row.locator('input[name=value]').fill('987000');
  await Promise.all([page.waitForNavigation(), row.locator('button[type=submit]').click()]);
  const locked = page.locator('tr[data-field="monthly_wage"].locked');
  await locked.scrollIntoViewIfNeeded();
  await shot(page, '06-corrected');
  check(await locked.count() === 1, 'the corrected field is locked');
  check(await locked.locator('input[name=value]').inputValue() === '987000',
    'the corrected value is shown');

  // 6. log out
  await logout(page, base);
  await shot(page, '07-logged-out');

  // 7. the admin finds the correction in the audit log
  await login(page, base, 'boss', who.adminPassword);
  await shot(page, '08-audit');
  check(new URL(page.url()).pathname === '/audit', 'the admin lands on the audit log');
  const audit = await page.textContent('table.audit');
  check(audit.includes('correct') && audit.includes('monthly_wage'),
    'the audit log lists the correction');
  check(audit.includes('view_worker') && audit.includes('clerk'),
    'the audit log lists the archivist viewing the worker');
  await logout(page, base);

  // 8. staff read the same document with the national ID masked
  await login(page, base, 'reader', who.staffPassword);
  await page.goto(`${base}${docPath}`);
  await page.waitForFunction(() => {
    const i = document.querySelector('img[src*="/pages/1.png"]');
    return i && i.complete && i.naturalWidth > 0;
  });
  await shot(page, '09-staff-document');
  {
    // the page image exactly as staff get it (painted over), as an artifact
    const img = await page.request.get(`${base}/api/documents/${docPath.split('/')[2]}/pages/1.png`);
    check(img.ok(), 'staff get the page image');
    writeFileSync(join(SHOTS, '10-staff-page-image.png'), await img.body());
  }
  check(await page.locator('form.correct').count() === 0, 'staff get no correction forms');
  const nid = page.locator('tr[data-field="national_id"] td.value');
  if (await nid.count() > 0) {
    const shown = await nid.textContent();
    check(shown.includes('•') && !/[0-9٠-٩۰-۹]{5,}/.test(shown),
      `staff see the national ID masked (${shown.trim()})`);
  }
  await logout(page, base);

  check(problems.length === 0, `no browser errors${problems.length ? ': ' + problems.join('; ') : ''}`);
}

// ---- main ----------------------------------------------------------------------------

try {
  mkdirSync(SHOTS, { recursive: true });
  const w = buildArchive();
  console.log(`worker ${w.ssn}: searching "${w.variant}" for "${w.name}"`);
  w.archivistPassword = 'clerk-password-1';
  w.adminPassword = 'admin-password-1';
  w.staffPassword = 'reader-password-1';
  daftar(['user', 'add', 'clerk', '--role', 'archivist', '--quiet'], `${w.archivistPassword}\n`);
  daftar(['user', 'add', 'boss', '--role', 'admin', '--quiet'], `${w.adminPassword}\n`);
  daftar(['user', 'add', 'reader', '--role', 'staff', '--quiet'], `${w.staffPassword}\n`);
  const base = await startServer();
  await browse(base, w);
  console.log(`screenshots in ${SHOTS}`);
} catch (e) {
  failed = true;
  console.error(`e2e: FAIL: ${e.stack || e}`);
} finally {
  for (const c of cleanups) {
    try { await c(); } catch (e) { /* already gone */ }
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
