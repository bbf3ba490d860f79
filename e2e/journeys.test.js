// Browser journeys through Waymark in headless Chromium. Each page visited
// is checked with axe-core against WCAG 2.2 A and AA; any violation fails.
// The server is the real binary running its demonstration on a free port.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const AXE = require.resolve('axe-core/axe.min.js');
const BIN = process.env.WAYMARK_BIN || join(here, '..', 'target', 'debug', 'waymark');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'demo lantern otter velvet';
const SHOTS = join(here, 'screenshots');

let server;
let browser;
let base;
let dataDir;
const visited = new Set();

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

before(async () => {
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'waymark-e2e-'));
  mkdirSync(SHOTS, { recursive: true });
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['demo'], {
    env: { ...process.env, WAYMARK_DATA_DIR: dataDir, WAYMARK_LISTEN: `127.0.0.1:${port}`, WAYMARK_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${out}`)), 120000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Waymark is running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.on('exit', (code) => reject(new Error(`the demo exited with ${code}:\n${out}`)));
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGINT');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// axe is injected as a script, which the strict Content-Security-Policy
// forbids; the test context bypasses CSP for that alone.
async function newPage() {
  const context = await browser.newContext({ bypassCSP: true });
  return context.newPage();
}

async function checkAccessibility(page, label) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] },
    });
  });
  const problems = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
  assert.deepEqual(problems, [], `accessibility violations on ${label}:\n${problems.join('\n')}`);
  const name = label.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  // On a phone (390 px wide) nothing scrolls sideways: tables stack.
  const desk = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.screenshot({ path: join(SHOTS, `${name}-390.png`), fullPage: true });
  await page.setViewportSize(desk);
  assert.ok(wide <= 390, `${label} scrolls sideways on a phone: ${wide} px wide`);
  visited.add(label);
}

async function visit(page, path, label) {
  const response = await page.goto(base + path);
  assert.ok(response.status() < 400, `${path} answered ${response.status()}`);
  await checkAccessibility(page, label);
}

// A date is entered as day, month and year, each in its own box.
async function fillDate(page, name, day, month, year) {
  await page.fill(`#${name}-day`, day);
  await page.fill(`#${name}-month`, month);
  await page.fill(`#${name}-year`, year);
}

async function signIn(page, username) {
  await page.goto(`${base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
}

async function signOut(page) {
  await page.click('text=Sign out');
  await page.waitForURL(`${base}/login`);
}

// RFC 6238 TOTP with SHA-1, 6 digits, 30-second steps, from a base32 secret.
function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return code.toString().padStart(6, '0');
}

test('a caseworker signs in, moves through their pages and signs out', async () => {
  const page = await newPage();
  await visit(page, '/login', 'sign in');
  await page.fill('#username', 'caseworker@victimcare.example');
  await page.fill('#password', 'not the password');
  await page.click('button[type=submit]');
  assert.match(await page.textContent('.error-summary'), /email address or password is not right/);
  await checkAccessibility(page, 'sign in with an error');

  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/`);
  assert.match(await page.textContent('h1'), /Hello, Casey Worker/);
  await checkAccessibility(page, 'caseworker home');

  await visit(page, '/services', 'caseworker services');
  assert.doesNotMatch(await page.content(), /City IDVA service/);
  await page.click('text=Eastmoor Victim Care: cope and recover');
  await checkAccessibility(page, 'service');
  await page.click('text=North team');
  await checkAccessibility(page, 'team');
  // Error pages keep the person's navigation, and are checked like any page.
  const missing = await page.goto(`${base}/cases/01a00000-0000-7000-8000-000000000000`);
  assert.equal(missing.status(), 404);
  assert.match(await page.textContent('h1'), /Page not found/);
  await checkAccessibility(page, 'page not found');
  const refused = await page.goto(`${base}/audit`);
  assert.equal(refused.status(), 403);
  assert.match(await page.textContent('h1'), /You do not have permission/);
  await checkAccessibility(page, 'refused');
  await visit(page, '/account', 'account');
  await page.click('button:has-text("Change password")');
  assert.match(await page.textContent('.error-summary'), /current password is not right/);
  await checkAccessibility(page, 'account with errors');
  await signOut(page);
  const after = await page.goto(`${base}/`);
  assert.equal(new URL(after.url()).pathname, '/login', 'signed out');
});

test('a caseworker takes a referral through to closure with outcomes; the manager counts it in the MoJ return', async () => {
  const page = await newPage();
  await signIn(page, 'caseworker@victimcare.example');
  await page.waitForURL(`${base}/`);
  await visit(page, '/referrals', 'worklist');
  await page.click('text=Take a referral');
  await checkAccessibility(page, 'take a referral');
  await page.fill('#given_name', 'Jordan');
  await page.selectOption('#crime_type', 'domestic_abuse');
  await page.selectOption('#consent', 'not_asked');
  await page.click('button:has-text("Take referral")');
  const summary = await page.textContent('.error-summary');
  assert.match(summary, /needs the victim.s consent/);
  assert.match(summary, /Enter the victim.s last name/);
  assert.equal(await page.inputValue('#given_name'), 'Jordan', 'what was typed is kept');
  await checkAccessibility(page, 'take a referral with errors');
  await page.fill('#family_name', 'Example');
  await page.selectOption('#source', 'police');
  await page.selectOption('#consent', 'given');
  await fillDate(page, 'incident_date', '18', '11', '2026');
  await fillDate(page, 'crime_reported_on', '19', '11', '2026');
  await page.fill('#phone', '07700 900123');
  await page.fill('#account', 'Her ex-partner came to the house and broke the front window.');
  await page.check('#safe_channels-visit');
  await page.check('#reason-intimidated');
  await page.click('button:has-text("Take referral")');
  assert.match(await page.textContent('h1'), /REF-\d{4}-\d{6}: Jordan Example/);
  await checkAccessibility(page, 'referral');

  await page.selectOption('#pref_channel', 'text');
  await page.selectOption('#safe', 'false');
  await page.fill('#pref_notes', 'Partner checks her phone');
  await page.click('button:has-text("Save safe-contact preference")');
  assert.match(await page.content(), /Unsafe/);
  // The unsafe channel cannot be chosen for an attempt.
  assert.equal(await page.isDisabled('#channel option[value=text]'), true);
  await page.selectOption('#channel', 'call');
  await page.selectOption('#result', 'unsafe');
  await page.click('button:has-text("Record attempt")');
  assert.equal(await page.isDisabled('#channel option[value=call]'), true, 'an unsafe call marks calls unsafe');
  await page.selectOption('#channel', 'visit');
  await page.selectOption('#result', 'contacted');
  await page.click('button:has-text("Record attempt")');
  await checkAccessibility(page, 'referral after contact');

  // The crime reference came later: correct the referral.
  await page.click('text=Correct these details');
  await checkAccessibility(page, 'correct a referral');
  await page.fill('#crime_reference', 'EM/2026/12345');
  await page.click('button:has-text("Save the corrections")');
  assert.match(await page.textContent('[role=status]'), /The referral has been corrected/);
  assert.match(await page.textContent('main'), /Crime reference: none → EM\/2026\/12345/);
  await checkAccessibility(page, 'referral with history');

  // The victim moved: correct the record, and see the history say so.
  const referralUrl = page.url().split('?')[0];
  await page.click('text=Jordan Example\'s record');
  await checkAccessibility(page, 'person');
  await page.click('text=Correct these details');
  await checkAccessibility(page, 'correct a person');
  await fillDate(page, 'date_of_birth', '1', '1', '2099');
  await page.click('button:has-text("Save the corrections")');
  assert.match(await page.textContent('.error-summary'), /date of birth cannot be in the future/i);
  await checkAccessibility(page, 'correct a person with errors');
  await fillDate(page, 'date_of_birth', '', '', '');
  await page.fill('#address', '2 Safe Street, Eastmoor');
  await page.click('button:has-text("Save the corrections")');
  assert.match(await page.textContent('[role=status]'), /The details have been corrected/);
  assert.match(await page.textContent('main'), /Address: none → 2 Safe Street, Eastmoor/);
  await checkAccessibility(page, 'person with history');
  await page.goto(referralUrl);
  await page.selectOption('#outcome', 'accepted');
  await page.click('button:has-text("Record outcome")');
  assert.match(await page.content(), /Accepted for support/);

  // The case: needs, plan, a contact, a sensitive note, closure with outcomes.
  await page.click('text=Open the case');
  await checkAccessibility(page, 'case');
  // Accepted, the case is nobody's until someone takes it.
  await page.click('button:has-text("Take this case")');
  assert.match(await page.textContent('[role=status]'), /The case is yours now/);
  await checkAccessibility(page, 'case taken');
  // Each part of the case is its own page, reached from the tabs.
  const tab = async (name) => {
    await page.click(`nav[aria-label="Parts of this case"] >> text="${name}"`);
    assert.match(await page.textContent('nav[aria-label="Parts of this case"] [aria-current=page]'), new RegExp(name));
  };
  await tab('Needs');
  await checkAccessibility(page, 'case needs');
  await page.selectOption('#need-safety', 'high');
  await page.selectOption('#need-health', 'medium');
  // Where she is starting from: "I feel safe" is only a little true.
  await page.selectOption('#rating-feel_safer', '2');
  await page.click('button:has-text("Save needs assessment")');
  assert.match(await page.textContent('main'), /The needs assessment has been saved/);
  assert.match(await page.textContent('table:has(caption:has-text("Ratings of each measure"))'), /I feel safe\s*2/);
  await checkAccessibility(page, 'case needs with a starting rating');
  await tab('Support plan');
  await page.fill('#description', 'Feel safe at home');
  await page.selectOption('#need_area', 'safety');
  await page.click('button:has-text("Add to plan")');
  await checkAccessibility(page, 'case support plan');
  await tab('Contacts');
  await page.selectOption('#kind', 'safety_planning');
  await page.selectOption('#contact_channel', 'text');
  await page.fill('#duration_minutes', '30');
  await page.click('button:has-text("Record contact")');
  assert.match(await page.textContent('.error-summary'), /marked unsafe/);
  await checkAccessibility(page, 'case with errors');
  await page.selectOption('#contact_channel', 'visit');
  await page.fill('#duration_minutes', '30');
  await page.click('button:has-text("Record contact")');
  await tab('Notes');
  await page.fill('#note', 'Disclosed an earlier incident');
  await page.check('#sensitive');
  await page.click('button:has-text("Add note")');
  assert.doesNotMatch(await page.content(), /Disclosed an earlier incident/);
  await page.click('button:has-text("Reveal")');
  assert.match(await page.textContent('#revealed-note'), /Disclosed an earlier incident/);
  await checkAccessibility(page, 'case notes with a reveal');
  // Documents: a court order attached, a renamed program refused, a letter written.
  await tab('Documents');
  await checkAccessibility(page, 'case documents');
  await page.fill('#description', 'Non-molestation order');
  await page.setInputFiles('#file', { name: 'order.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await page.click('button:has-text("Attach")');
  assert.match(await page.textContent('[role=status]'), /The document has been attached/);
  await page.setInputFiles('#file', { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x4d, 0x5a, 0x90, 0x00]) });
  await page.click('button:has-text("Attach")');
  assert.match(await page.textContent('.error-summary'), /cannot be attached/);
  await checkAccessibility(page, 'case documents with errors');
  await page.check('#letter-appointment');
  await fillDate(page, 'appointment_date', '3', '2', String(new Date().getFullYear() + 1));
  await page.fill('#appointment_time', '14:30');
  await page.fill('#appointment_place', 'the Eastmoor office');
  await page.click('button:has-text("Write the letter")');
  assert.match(await page.textContent('[role=status]'), /The letter has been written/);
  const [letter] = await Promise.all([
    page.waitForEvent('download'),
    page.click('a:has-text("appointment-")'),
  ]);
  const letterText = readFileSync(await letter.path()).toString();
  assert.match(letterText, /2 Safe Street, Eastmoor/, 'the letter goes to the corrected address');
  assert.match(letterText, /at 14:30, at the Eastmoor office/);
  await checkAccessibility(page, 'case documents with a letter');
  await tab('Summary');
  assert.match(await page.textContent('.summary'), /Last contact/);
  await page.click('text=Print the case summary');
  assert.doesNotMatch(await page.content(), /Disclosed an earlier incident/, 'a sensitive note is not printed');
  await checkAccessibility(page, 'case summary for printing');
  await page.goBack();
  await tab('Closure');
  await page.selectOption('#closure_reason', 'support_completed');
  for (const measure of ['health_wellbeing', 'informed_empowered', 'cope_everyday', 'criminal_justice']) {
    await page.selectOption(`#outcome-${measure}`, 'improved');
  }
  // Rated at the start, so asked again on the same scale: 2 then 4.
  assert.match(await page.textContent('label[for=outcome-feel_safer]'), /at the start: 2/);
  await page.selectOption('#outcome-feel_safer', '4');
  await page.selectOption('#satisfaction', 'satisfied');
  await page.click('button:has-text("Close case")');
  assert.match(await page.textContent('h1'), /Close this case\?/);
  await checkAccessibility(page, 'close a case: asked first');
  await page.click('button:has-text("Yes, close the case")');
  assert.match(await page.content(), /The case has been closed/);
  assert.match(await page.textContent('main'), /Improved \(rated 2 at the start, 4 at exit\)/);
  await checkAccessibility(page, 'closed case');
  await visit(page, '/cases?scope=closed', 'closed cases');
  await signOut(page);

  // The service's manager counts the day's work in the MoJ return and
  // downloads it: the referral, the contact and the outcomes just recorded.
  await signIn(page, 'manager@victimcare.example');
  await page.waitForURL(`${base}/`);
  const today = new Date().toISOString().slice(0, 10);
  await visit(page, `/reports/moj?from=${today}&to=${today}`, "today's moj return");
  const returnPage = await page.content();
  assert.match(returnPage, /Referrals received/);
  assert.match(returnPage, /Outcomes at exit/);
  assert.doesNotMatch(returnPage, /Jordan|Example/, 'a return carries no names');
  const counted = async (row) => Number((await page.textContent(`tr:has(th:text-is("${row}")) td`)).trim());
  assert.ok(await counted('Referrals received') >= 1, 'the referral taken is counted');
  assert.ok(await counted('Feeling safer') >= 1, 'the outcome recorded at closure is counted');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('text=Download as a workbook (XLSX)'),
  ]);
  const workbook = readFileSync(await download.path());
  assert.equal(workbook.subarray(0, 2).toString(), 'PK', 'the download is an XLSX workbook');
  await signOut(page);
});

test('a team leader pages and sorts the lists and allocates cases in bulk; the manager reopens a case', async () => {
  const page = await newPage();
  await signIn(page, 'teamleader@victimcare.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text=Dashboard');
  assert.match(await page.textContent('h1'), /Team dashboard/);
  assert.equal(await page.locator('svg.chart').count(), 2, 'two charts, each with its table');
  await checkAccessibility(page, 'team dashboard');
  await visit(page, '/referrals?status=all', 'all referrals, paged');
  assert.match(await page.textContent('.list-count'), /Referrals: 1–50 of \d+/);
  const firstPage = await page.textContent('tbody');
  await page.click('a[rel=next]');
  assert.match(await page.textContent('.list-count'), /Referrals: 51–100 of \d+/);
  assert.notEqual(await page.textContent('tbody'), firstPage, 'the next page shows other referrals');
  await checkAccessibility(page, 'referrals, second page');
  await page.click('a[rel=prev]');
  assert.match(await page.textContent('.list-count'), /Referrals: 1–50 of/);
  await page.click('th >> a:text-is("Name")');
  assert.equal(await page.getAttribute('th[aria-sort=ascending]', 'aria-sort'), 'ascending');
  await checkAccessibility(page, 'referrals sorted by name');
  await page.selectOption('#due', 'overdue');
  await page.click('button:has-text("Show referrals")');
  assert.match(page.url(), /due=overdue/);
  await checkAccessibility(page, 'referrals filtered to overdue');

  await visit(page, '/cases?scope=service&worker=none', 'cases not allocated');
  const waiting = await page.locator('input[name=case_ids]').count();
  assert.ok(waiting >= 2, `the demonstration has cases waiting for a caseworker (${waiting})`);
  const before = await page.textContent('.list-count');
  await page.locator('input[name=case_ids]').nth(0).check();
  await page.locator('input[name=case_ids]').nth(1).check();
  await page.selectOption('#caseworker_id', { label: 'Casey Worker (Eastmoor Victim Care: cope and recover)' });
  await page.click('button:has-text("Allocate selected cases")');
  assert.match(await page.textContent('[role=status]'), /The cases have been allocated/);
  assert.notEqual(await page.textContent('.list-count'), before, 'two fewer cases wait');
  await checkAccessibility(page, 'cases allocated in bulk');
  await signOut(page);

  await signIn(page, 'manager@victimcare.example');
  await page.waitForURL(`${base}/`);
  await visit(page, '/cases?scope=closed', 'closed cases for the manager');
  await page.locator('tbody a').first().click();
  await page.click('nav[aria-label="Parts of this case"] >> text="Closure"');
  await page.click('button:has-text("Reopen the case")');
  assert.match(await page.textContent('.error-summary'), /Enter why the case is being reopened/);
  await checkAccessibility(page, 'reopen a case with errors');
  await page.fill('#reopen_reason', 'New incident reported; the victim asked for support again');
  await page.click('button:has-text("Reopen the case")');
  assert.match(await page.textContent('[role=status]'), /The case has been reopened/);
  assert.match(await page.textContent('main'), /Reopened – New incident reported/);
  await checkAccessibility(page, 'reopened case');
  await signOut(page);
});

test('a caseworker compares two records that may be one victim and merges them', async () => {
  const page = await newPage();
  await signIn(page, 'caseworker@victimcare.example');
  await page.waitForURL(`${base}/`);
  await page.click('main >> text=Possibly the same person');
  assert.match(await page.textContent('h1'), /Possibly the same person/);
  assert.match(await page.textContent('.list-count'), /Pairs to look at: 1–\d+ of \d+/);
  await checkAccessibility(page, 'possibly the same person');
  await page.click('a:has-text("Compare Morwena Tregarthen with Morwenna Tregarthen")');
  assert.match(await page.textContent('main'), /Newer record: Morwena Tregarthen/);
  assert.match(await page.textContent('main'), /Older record: Morwenna Tregarthen/);
  await checkAccessibility(page, 'two records compared');
  await page.click('button:has-text("Merge the records")');
  assert.match(await page.textContent('.error-summary'), /Choose which record to keep/);
  await checkAccessibility(page, 'merge without a choice');
  await page.check('#keep-earlier');
  await page.click('button:has-text("Merge the records")');
  assert.match(await page.textContent('h1'), /Merge these two records\?/);
  await checkAccessibility(page, 'merge asks first');
  await page.click('button:has-text("Yes, merge the records")');
  assert.match(await page.textContent('[role=status]'), /The records have been merged/);
  assert.match(await page.textContent('h1'), /Morwenna Tregarthen/);
  assert.match(await page.textContent('main'), /07700 900987/, 'the phone only the other record held is kept');
  assert.equal(await page.locator('h2:has-text("Referrals") + ul > li').count(), 2, 'both referrals are hers');
  await checkAccessibility(page, 'records merged');
  await page.click('a:has-text("Merged record 1")');
  assert.match(await page.textContent('[role=status]'), /This record was merged/);
  await checkAccessibility(page, 'a record merged into another');
  await page.goto(`${base}/people/duplicates`);
  assert.doesNotMatch(await page.textContent('main'), /Tregarthen/, 'the pair is decided');
  await signOut(page);
});

test('an IDVA completes a DASH that comes out high; judgement cannot lower it', async () => {
  const page = await newPage();
  await signIn(page, 'idva@cityadvocacy.example');
  await page.waitForURL(`${base}/`);
  await page.goto(`${base}/cases?status=open`);
  await page.click('table a[href^="/cases/"]');
  await page.click('nav[aria-label="Parts of this case"] >> text="Risk"');
  assert.match(await page.textContent('main'), /No risk assessment has been recorded/);
  await checkAccessibility(page, 'case risk, none yet');
  await page.click('text=Complete a risk assessment');
  assert.match(await page.textContent('h1'), /Risk assessment for case/);
  await checkAccessibility(page, 'risk assessment form');
  // Sent with nothing: every problem is named, nothing recorded.
  await page.click('button:has-text("Record the assessment")');
  const problems = await page.textContent('.error-summary');
  assert.match(problems, /Enter what prompted it/);
  assert.match(problems, /review date/);
  await checkAccessibility(page, 'risk assessment refused');
  await page.fill('#prompted_by', 'Police call-out after an assault at home');
  const questions = await page.locator('fieldset .answers').count();
  assert.equal(questions, 24);
  for (let i = 0; i < questions; i++) {
    const answer = i < 14 ? 'yes' : (i === 20 ? 'dont_know' : 'no');
    await page.locator('fieldset .answers').nth(i).locator(`input[value="${answer}"]`).check();
  }
  await page.fill('#text-incident', 'Assaulted at home; he has threatened to kill her since she left.');
  // Judgement cannot lower an actuarial high: refused, and what was typed is kept.
  await page.selectOption('#judgement_level', 'medium');
  await page.fill('#judgement_reasons', 'She says he has calmed down');
  await fillDate(page, 'review_on', '15', '1', '2027');
  await page.click('button:has-text("Record the assessment")');
  assert.match(await page.textContent('.error-summary'), /never lower it: the answers give high/);
  assert.equal(await page.inputValue('#prompted_by'), 'Police call-out after an assault at home');
  assert.ok(await page.locator('fieldset .answers').nth(0).locator('input[value="yes"]').isChecked());
  await checkAccessibility(page, 'judgement lowering refused');
  await page.selectOption('#judgement_level', '');
  await page.fill('#judgement_reasons', '');
  await page.click('button:has-text("Record the assessment")');
  assert.match(await page.textContent('[role=status]'), /The risk assessment has been recorded/);
  assert.match(await page.textContent('main'), /Current risk: High/);
  assert.match(await page.textContent('main'), /Review by 15\u00a0January\u00a02027/);
  await checkAccessibility(page, 'case risk, high');
  await page.click('nav[aria-label="Parts of this case"] >> text="Summary"');
  assert.match(await page.textContent('.summary'), /High, review by/);
  await page.click('nav[aria-label="Parts of this case"] >> text="Risk"');
  // A new incident: refused without how it became known, then recorded.
  await fillDate(page, 'occurred_on', '28', '11', '2026');
  await page.click('button:has-text("Record the incident")');
  assert.match(await page.textContent('.error-summary'), /Choose how the incident became known/);
  await checkAccessibility(page, 'incident refused');
  await page.selectOption('#source', 'police_callout');
  await page.fill('#summary', 'Police called by a neighbour');
  await page.click('button:has-text("Record the incident")');
  assert.match(await page.textContent('[role=status]'), /The incident has been recorded/);
  assert.match(await page.textContent('main'), /Assess the risk again/);
  assert.match(await page.textContent('main'), /Police called by a neighbour/);
  await checkAccessibility(page, 'incident recorded');
  // Recorded wrongly: corrected on its own page, a refusal keeping what was typed.
  await page.click('a:has-text("Correct")');
  assert.match(await page.textContent('h1'), /Correct an incident/);
  await checkAccessibility(page, 'incident correction');
  await page.selectOption('#source', '');
  await page.fill('#summary', 'Police called by a neighbour at 2am');
  await page.click('button:has-text("Save the correction")');
  assert.match(await page.textContent('.error-summary'), /Choose how the incident became known/);
  assert.equal(await page.inputValue('#summary'), 'Police called by a neighbour at 2am');
  await page.selectOption('#source', 'police_callout');
  await page.click('button:has-text("Save the correction")');
  assert.match(await page.textContent('[role=status]'), /The incident has been corrected/);
  assert.match(await page.textContent('main'), /Police called by a neighbour at 2am/);
  await page.click('table a[href*="/risk/"]');
  assert.match(await page.textContent('main'), /14 yes: High by the bands/);
  assert.match(await page.textContent('main'), /threatened to kill her since she left/);
  await checkAccessibility(page, 'a risk assessment read');
  // One recorded in error (meant for another case) is withdrawn, after
  // asking first; the case's risk falls back to the high assessment.
  await page.click('text=Back to the case');
  await page.click('text=Complete a risk assessment');
  await page.fill('#prompted_by', 'First contact');
  await fillDate(page, 'review_on', '20', '1', '2027');
  await page.click('button:has-text("Record the assessment")');
  assert.match(await page.textContent('main'), /Current risk: Incomplete/);
  await page.click('table a[href*="/risk/"]');
  await page.click('button:has-text("Withdraw the assessment")');
  assert.match(await page.textContent('h1'), /Withdraw this risk assessment as recorded in error\?/);
  await checkAccessibility(page, 'withdraw an assessment: asked first');
  await page.click('button:has-text("Yes, withdraw the assessment")');
  assert.match(await page.textContent('.error-summary'), /why the assessment is withdrawn/);
  await checkAccessibility(page, 'withdrawal refused without a reason');
  await page.fill('#withdrawn_reason', 'Recorded on the wrong case');
  await page.click('button:has-text("Withdraw the assessment")');
  await page.click('button:has-text("Yes, withdraw the assessment")');
  assert.match(await page.textContent('[role=status]'), /The risk assessment has been withdrawn/);
  assert.match(await page.textContent('main'), /Current risk: High/);
  assert.match(await page.textContent('main'), /Withdrawn as recorded in error.*Recorded on the wrong case/s);
  await checkAccessibility(page, 'case risk after a withdrawal');
  // The safety plan: refused without a review date, saved, printed discreetly.
  await page.click('nav[aria-label="Parts of this case"] >> text="Safety plan"');
  await checkAccessibility(page, 'safety plan, none yet');
  await page.fill('#risks', 'He knows where she works and her route home');
  await page.fill('#emergency_plan', 'Call 999; go to the neighbour at number 4');
  await page.fill('#code_word', 'Bluebell');
  await page.click('button:has-text("Save as a new version")');
  assert.match(await page.textContent('.error-summary'), /review date/);
  assert.equal(await page.inputValue('#risks'), 'He knows where she works and her route home');
  await checkAccessibility(page, 'safety plan refused');
  await fillDate(page, 'review_on', '10', '1', '2027');
  await page.click('button:has-text("Save as a new version")');
  assert.match(await page.textContent('[role=status]'), /saved as a new version/);
  assert.match(await page.textContent('main'), /Version 1/);
  await checkAccessibility(page, 'safety plan saved');
  await page.click('text=Print a discreet copy');
  const discreet = await page.textContent('body');
  assert.match(discreet, /If I need help quickly/);
  assert.match(discreet, /neighbour at number 4/);
  assert.doesNotMatch(discreet, /Bluebell|Waymark|abuse|risk|City IDVA/i, 'nothing that would alarm or name the service');
  await checkAccessibility(page, 'safety plan discreet print');
  await page.goBack();
  // The MARAC referral arrives filled in from the assessment and the case.
  await page.click('nav[aria-label="Parts of this case"] >> text="MARAC"');
  assert.match(await page.textContent('main'), /14 yes, High/);
  assert.match(await page.textContent('main'), /Eastmoor City MARAC.*the case meets: Visible high risk/s);
  await checkAccessibility(page, 'marac referral form');
  await page.click('button:has-text("Refer to the MARAC")');
  assert.match(await page.textContent('.error-summary'), /Choose one of the MARAC's coming meetings/);
  await checkAccessibility(page, 'marac referral refused');
  await page.selectOption('#meeting', { index: 1 });
  await page.check('#consent-given');
  await page.click('button:has-text("Refer to the MARAC")');
  assert.match(await page.textContent('[role=status]'), /referred to the MARAC/);
  assert.match(await page.textContent('main'), /Waiting for the meeting/);
  await checkAccessibility(page, 'marac referral made');
  // Consent recorded wrongly: corrected, refused at first without a reason.
  await page.click('a:has-text("Correct the referral")');
  assert.match(await page.textContent('h1'), /Correct the referral to Eastmoor City MARAC/);
  await checkAccessibility(page, 'marac referral correction');
  await page.check('#consent-not-given');
  await page.click('button:has-text("Save the correction")');
  assert.match(await page.textContent('.error-summary'), /Give the reason for referring without the victim's consent/);
  await checkAccessibility(page, 'marac referral correction refused');
  await page.fill('#without_consent_reason', 'She fears he will find out; high risk');
  await page.click('button:has-text("Save the correction")');
  assert.match(await page.textContent('[role=status]'), /The referral has been corrected/);
  await signOut(page);

  // The coordinator acknowledges confidentiality, then builds the agenda.
  await signIn(page, 'marac.coordinator@cityadvocacy.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text="MARAC"');
  assert.match(await page.textContent('main'), /Eastmoor City MARAC/);
  assert.match(await page.textContent('main'), /1 action overdue/);
  await checkAccessibility(page, 'marac list');
  // The next meeting but two: a day in the past is refused, then scheduled.
  const last = new Date(Date.now() - 86400000);
  await page.fill('input[name="meets_on-day"]', String(last.getDate()));
  await page.fill('input[name="meets_on-month"]', String(last.getMonth() + 1));
  await page.fill('input[name="meets_on-year"]', String(last.getFullYear()));
  await page.click('button:has-text("Schedule")');
  assert.match(await page.textContent('.error-summary'), /cannot be scheduled in the past/);
  await checkAccessibility(page, 'marac meeting refused');
  const next = new Date(Date.now() + 90 * 86400000);
  await page.fill('input[name="meets_on-day"]', String(next.getDate()));
  await page.fill('input[name="meets_on-month"]', String(next.getMonth() + 1));
  await page.fill('input[name="meets_on-year"]', String(next.getFullYear()));
  await page.click('button:has-text("Schedule")');
  assert.match(await page.textContent('[role=status]'), /The meeting has been scheduled/);
  await page.click('section.card ul >> nth=0 >> a');
  assert.match(await page.textContent('main'), /Cases on the agenda\s*2/);
  assert.equal(await page.locator('a[href^="/maracs/cases/"]').count(), 0, 'no case before acknowledging');
  await checkAccessibility(page, 'marac meeting, confidentiality first');
  await page.click('button:has-text("I acknowledge the statement")');
  assert.match(await page.textContent('[role=status]'), /acknowledgement has been recorded/);
  const agenda = page.locator('table').first();
  assert.equal(await agenda.locator('a[href^="/maracs/cases/"]').count(), 2);
  assert.match(await page.textContent('main'), /Hold a strategy discussion about the children/);
  await checkAccessibility(page, 'marac agenda');
  const second = await agenda.locator('tbody tr').nth(1).locator('a').textContent();
  await agenda.locator('tbody tr').nth(1).locator('button:has-text("Up")').click();
  assert.match(await page.textContent('[role=status]'), /agenda has been reordered/);
  assert.equal(await agenda.locator('tbody tr').nth(0).locator('a').textContent(), second);
  await agenda.locator('tbody tr').nth(0).locator('a').click();
  assert.match(await page.textContent('h1'), /at the MARAC/);
  assert.match(await page.textContent('main'), /14 yes, High/);
  await checkAccessibility(page, 'marac case');
  // An action needs an owner: refused, and what was typed is kept.
  await page.fill('#description', 'Flag the address for an urgent response');
  const due = new Date(Date.now() + 14 * 86400000);
  await fillDate(page, 'due_on', String(due.getDate()), String(due.getMonth() + 1), String(due.getFullYear()));
  await page.click('button:has-text("Record the action")');
  assert.match(await page.textContent('.error-summary'), /Choose the agency that owns the action/);
  assert.equal(await page.inputValue('#description'), 'Flag the address for an urgent response');
  await checkAccessibility(page, 'marac action refused');
  await page.selectOption('#agency', { label: 'Eastmoor Police' });
  await page.click('button:has-text("Record the action")');
  assert.match(await page.textContent('[role=status]'), /action has been recorded/);
  const caseAddress = page.url().split('?')[0];
  // The figures: the meeting held four weeks ago heard one case.
  await page.click('nav >> text="MARAC"');
  await page.click('a:has-text("Figures")');
  const iso = (d) => d.toISOString().slice(0, 10);
  const figures = page.url().split('?')[0];
  await page.goto(`${figures}?from=${iso(new Date(Date.now() - 60 * 86400000))}&to=${iso(new Date())}`);
  assert.match(await page.textContent('table'), /Cases heard\s*1/);
  await checkAccessibility(page, 'marac figures');
  await signOut(page);

  // The police member acknowledges, adds research and completes the action.
  await signIn(page, 'marac.police@eastmoor-police.example');
  await page.waitForURL(`${base}/`);
  await page.goto(caseAddress);
  assert.match(await page.textContent('main'), /Confidentiality/, 'sent to acknowledge first');
  await page.click('button:has-text("I acknowledge the statement")');
  await page.goto(caseAddress);
  await page.click('button:has-text("Add research")');
  assert.match(await page.textContent('.error-summary'), /Say whether the item may be shared/);
  await checkAccessibility(page, 'marac research refused');
  await page.fill('#item', 'Three call-outs to the address this year; bail conditions in place');
  await page.check('#shareable-yes');
  await page.fill('#reason', 'Needed to keep her and the children safe');
  await page.click('button:has-text("Add research")');
  assert.match(await page.textContent('[role=status]'), /research has been added/);
  assert.match(await page.textContent('main'), /Three call-outs to the address this year/);
  const action = page.locator('form[action^="/maracs/actions/"]');
  await action.locator('select[name=status]').selectOption('done');
  await action.locator('input[name=note]').fill('Flag added on the police system');
  await action.locator('button').click();
  assert.match(await page.textContent('[role=status]'), /action has been updated/);
  assert.match(await page.textContent('main'), /Done \(Flag added on the police system\)/);
  await checkAccessibility(page, 'marac case, research and action done');
  await signOut(page);
});

test('a duty manager fills a gap in the shared rota; partners see only the duty line', async () => {
  const page = await newPage();
  await signIn(page, 'manager@cityadvocacy.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text="Duty"');
  assert.match(await page.textContent('main'), /Duty IDVA.*Duty line 01632 960 199/s);
  await checkAccessibility(page, 'duty now');
  await page.click('a:has-text("Eastmoor IDVA duty")');
  assert.match(await page.textContent('main'), /Gaps in the coming four weeks/);
  await checkAccessibility(page, 'duty rota');
  // The gap next week: refused without a worker, then filled.
  await page.click('ul.gaps a');
  const gapRow = page.locator('tr.gap').first();
  await gapRow.locator('button:has-text("Fill")').click();
  assert.match(await page.textContent('.error-summary'), /Choose who works the shift/);
  await checkAccessibility(page, 'duty shift refused');
  await page.locator('tr.gap').first().locator('select').selectOption({ label: 'Indra Advocate (City IDVA service)' });
  await page.locator('tr.gap').first().locator('button:has-text("Fill")').click();
  assert.match(await page.textContent('[role=status]'), /The shift has been filled/);
  assert.match(await page.textContent('main'), /Every shift of the coming four weeks has someone on it/);
  await checkAccessibility(page, 'duty gap filled');
  // Taking someone off asks first; the shift is a gap again.
  await page.locator('button:has-text("Take off")').first().click();
  assert.match(await page.textContent('h1'), /Take this worker off the shift\?/);
  await checkAccessibility(page, 'take off a shift: asked first');
  await page.click('button:has-text("Yes, take them off the shift")');
  assert.match(await page.textContent('[role=status]'), /taken off the shift/);
  assert.match(await page.textContent('ul.gaps'), /Gap/);
  await checkAccessibility(page, 'duty gap again');
  await visit(page, '/help/duty', 'how the duty service works');
  // The response times before today's requests, to compare with after.
  await page.click('nav >> text="Duty"');
  await page.click('a:has-text("Eastmoor IDVA duty")');
  await page.click('text=Duty requests and response times');
  const metRow = page.locator('tr', { has: page.locator('th', { hasText: 'All requests' }) });
  const metBefore = Number(await metRow.locator('td[data-label="Met"]').textContent());
  await signOut(page);
  // The IDVA sees her coming shifts on her home page and asks to swap one.
  await signIn(page, 'idva@cityadvocacy.example');
  await page.waitForURL(`${base}/`);
  assert.match(await page.textContent('main'), /Your coming duty shifts/);
  await page.locator('a:has-text("Ask to swap")').first().click();
  assert.match(await page.textContent('h1'), /Ask to swap a shift/);
  await checkAccessibility(page, 'ask to swap');
  await page.click('button:has-text("Ask for the swap")');
  assert.match(await page.textContent('.error-summary'), /Choose a colleague/);
  await checkAccessibility(page, 'swap refused');
  await page.selectOption('#cover_by', { label: 'Ade Wren' });
  await page.fill('#reason', 'Court all day');
  await page.click('button:has-text("Ask for the swap")');
  assert.match(await page.textContent('[role=status]'), /Your swap has been asked for/);
  assert.match(await page.textContent('main'), /to Ade Wren: waiting for a manager/);
  await checkAccessibility(page, 'home with a swap waiting');
  // A police request on duty: refused when blank, taken, then actioned.
  await page.click('nav >> text="Duty"');
  await page.click('a:has-text("Eastmoor IDVA duty")');
  await page.click('text=Duty requests and response times');
  await checkAccessibility(page, 'duty requests');
  await page.click('button:has-text("Take the request")');
  assert.match(await page.textContent('.error-summary'), /Choose who the request came from/);
  await checkAccessibility(page, 'duty request refused');
  await page.selectOption('#source', 'police');
  await page.selectOption('#urgency', 'urgent');
  await page.fill('#given_name', 'Rowan');
  await page.fill('#family_name', 'Tallis');
  await page.fill('#asked', 'Officer at the scene asks for a safety plan tonight');
  await page.click('button:has-text("Take the request")');
  assert.match(await page.textContent('[role=status]'), /The request has been taken/);
  assert.match(await page.textContent('main'), /Rowan Tallis/);
  // The time in London now: read after each request is taken, since one
  // actioned before it came in (a minute earlier) is refused.
  const londonNow = () => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date());
  await page.locator('input[name="actioned_time"]').first().fill(londonNow());
  await page.locator('select[name="outcome"]').first().selectOption('advice');
  await page.locator('button:has-text("Record the first attempt")').first().click();
  assert.match(await page.textContent('[role=status]'), /The first attempt has been recorded/);
  assert.match(await page.textContent('main'), /Advice to the professional/);
  await checkAccessibility(page, 'duty request actioned');
  // A second police request: the IDVA opens a case on duty, held by her.
  await page.selectOption('#source', 'police');
  await page.selectOption('#urgency', 'urgent');
  await page.fill('#given_name', 'Sol');
  await page.fill('#family_name', 'Carver');
  await page.fill('#asked', 'Victim at hospital wants support tonight');
  await page.click('button:has-text("Take the request")');
  assert.match(await page.textContent('[role=status]'), /The request has been taken/);
  await page.locator('input[name="actioned_time"]').first().fill(londonNow());
  await page.locator('select[name="outcome"]').first().selectOption('case_opened');
  await page.locator('button:has-text("Record the first attempt")').first().click();
  assert.match(await page.textContent('.error-summary'), /crime type/i);
  assert.equal(await page.locator('select[name="outcome"]').first().inputValue(), 'case_opened');
  await checkAccessibility(page, 'duty case refused without a crime type');
  await page.locator('select[name="crime_type"]').first().selectOption('domestic_abuse');
  await page.locator('select[name="consent"]').first().selectOption('given');
  await page.locator('button:has-text("Record the first attempt")').first().click();
  assert.match(await page.textContent('[role=status]'), /The first attempt has been recorded/);
  assert.match(await page.textContent('main'), /A case opened/);
  await checkAccessibility(page, 'duty case opened');
  await signOut(page);
  // The manager approves it on the rota.
  await signIn(page, 'manager@cityadvocacy.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text="Duty"');
  await page.click('a:has-text("Eastmoor IDVA duty")');
  assert.match(await page.textContent('main'), /Indra Advocate asks that Ade Wren take/);
  await checkAccessibility(page, 'duty rota with a swap waiting');
  await page.click('button:has-text("Approve")');
  assert.match(await page.textContent('[role=status]'), /The swap has been decided/);
  assert.doesNotMatch(await page.textContent('main'), /Swaps waiting/);
  // The case opened on duty waits for its handover, at 20:00.
  assert.match(await page.textContent('main'), /Duty cases to hand over.*held by Indra Advocate: hand over by .*20:00/s);
  const waiting = await page.locator('li:has(a:has-text("Hand over"))').count();
  await page.locator('li:has(a:has-text("Hand over"))').last().locator('a').click();
  assert.match(await page.textContent('h1'), /Hand over a duty case/);
  await checkAccessibility(page, 'handover');
  await page.fill('#note', 'Safety plan agreed tonight; call after 6pm only');
  await page.click('button:has-text("Hand over the case")');
  assert.match(await page.textContent('.error-summary'), /Choose who takes the case on/);
  assert.equal(await page.inputValue('#note'), 'Safety plan agreed tonight; call after 6pm only');
  await checkAccessibility(page, 'handover refused');
  await page.selectOption('#to', { label: 'Ade Wren' });
  await page.click('button:has-text("Hand over the case")');
  assert.match(await page.textContent('[role=status]'), /The case has been handed over/);
  assert.match(await page.textContent('main'), /Handed over from duty.*To Ade Wren: Safety plan agreed tonight/s);
  assert.doesNotMatch(await page.textContent('main'), /Opened on duty:/);
  await checkAccessibility(page, 'case handed over');
  await page.click('nav >> text="Duty"');
  await page.click('a:has-text("Eastmoor IDVA duty")');
  assert.equal(await page.locator('li:has(a:has-text("Hand over"))').count(), waiting - 1);
  // The manager reads the response times: both police requests were met.
  await page.click('text=Duty requests and response times');
  const allRow = page.locator('tr', { has: page.locator('th', { hasText: 'All requests' }) });
  assert.equal(Number(await allRow.locator('td[data-label="Met"]').textContent()), metBefore + 2);
  await checkAccessibility(page, 'duty response times');
  await signOut(page);
});

test('an IDVA records a partnership car call-out and its outcome; the commissioner reads the evaluation, protected', async () => {
  const page = await newPage();
  await signIn(page, 'idva@cityadvocacy.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text="Programmes"');
  await checkAccessibility(page, 'programmes');
  await page.click('a:has-text("Eastmoor partnership car")');
  assert.match(await page.textContent('main'), /Community Safety Grant/);
  // The commissioner's published decision that funds the pilot.
  assert.match(await page.textContent('#decisions'), /2026\.014/);
  await checkAccessibility(page, 'programme');
  // A call-out outside the programme's period is refused; nothing typed is lost.
  await page.fill('#given_name', 'Nell');
  await page.fill('#family_name', 'Garrow');
  await page.fill('input[name="day-day"]', '1');
  await page.fill('input[name="day-month"]', '1');
  await page.fill('input[name="day-year"]', '2020');
  await page.fill('#time', '21:30');
  await page.fill('#incident_reference', 'EM-2026-77001');
  await page.selectOption('#area', { label: 'Eastmoor City' });
  await page.check('#joint_attendance');
  await page.check('#dash_done');
  await page.click('button:has-text("Record the call-out")');
  assert.match(await page.textContent('.error-summary'), /outside the programme's period/);
  assert.match(await page.textContent('.error-summary'), /Choose the DASH level/);
  assert.equal(await page.inputValue('#given_name'), 'Nell');
  assert.ok(await page.isChecked('#joint_attendance'));
  await checkAccessibility(page, 'call-out refused');
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
  await page.fill('input[name="day-day"]', String(yesterday.getDate()));
  await page.fill('input[name="day-month"]', String(yesterday.getMonth() + 1));
  await page.fill('input[name="day-year"]', String(yesterday.getFullYear()));
  await page.selectOption('#dash_level', 'high');
  await page.check('#engaged');
  await page.click('button:has-text("Record the call-out")');
  assert.match(await page.textContent('[role=status]'), /The call-out has been recorded/);
  await checkAccessibility(page, 'call-out recorded');
  // Weeks later, the outcome: convicted.
  await page.locator('tr:has-text("Nell Garrow") a:has-text("Correct")').click();
  assert.match(await page.textContent('h1'), /Correct a call-out/);
  await checkAccessibility(page, 'correct a call-out');
  await page.selectOption('#justice_outcome', 'convicted');
  await page.click('button:has-text("Save the correction")');
  assert.match(await page.textContent('[role=status]'), /The call-out has been corrected/);
  assert.match(await page.locator('tr:has-text("Nell Garrow")').textContent(), /Convicted/);
  await page.click('text=Evaluation: the pilot against the baseline');
  assert.match(await page.textContent('main'), /Rates, as a share of the call-outs/);
  assert.ok(await page.locator('svg.chart').count() >= 6);
  await checkAccessibility(page, 'programme evaluation');
  await signOut(page);
  // The commissioner sees the evaluation protected, and no call-outs.
  await signIn(page, 'commissioner@opcc-eastmoor.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text="Programmes"');
  await page.click('a:has-text("Evaluation")');
  assert.match(await page.textContent('main'), /Counts are rounded to the nearest 5/);
  assert.doesNotMatch(await page.textContent('main'), /Nell Garrow/);
  // Once a period of the pilot has closed, its figures are kept as first shown.
  if (!/No reporting period of the pilot has ended yet/.test(await page.textContent('main'))) {
    assert.match(await page.textContent('#kept'), /kept as first shown/);
  }
  await checkAccessibility(page, 'programme evaluation, protected');
  await signOut(page);
});

test('an office drafts the duty-cover decision split by activity, its officers approve it, the commissioner decides, and the public reads it', async () => {
  const page = await newPage();
  await signIn(page, 'officer@opcc-eastmoor.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text="Commissioning"');
  assert.match(await page.textContent('#budget'), /Community Safety Grant\s*£480,000\.00/);
  await checkAccessibility(page, 'commissioning');
  // An objective corrected: refused blank, then saved.
  await page.click('#objectives a:has-text("Correct") >> nth=0');
  const words = await page.inputValue('#title');
  await page.fill('#title', '');
  await page.click('button:has-text("Save the correction")');
  assert.match(await page.textContent('.error-summary'), /objective/i);
  await checkAccessibility(page, 'objective correction refused');
  await page.fill('#title', `${words} in every area`);
  await page.click('button:has-text("Save the correction")');
  assert.match(await page.textContent('[role=status]'), /The objective has been corrected/);
  assert.match(await page.textContent('#objectives'), /in every area/);
  await page.click("a:has-text(\"The year's commissioning report\")");
  assert.match(await page.textContent('#report-funding'), /Community Safety Grant/);
  await checkAccessibility(page, 'commissioning report');
  await page.click('a:has-text("Back to commissioning")');
  await page.click('a:has-text("Draft a decision")');
  await checkAccessibility(page, 'draft a decision');
  // Refused by field, with what was typed kept.
  await page.fill('#number', '2026.060');
  await page.fill('#title', 'Duty cover uplift for the IDVA services');
  await page.fill('#amounts', 'City Advocacy Partnership | 55,000 | Lottery');
  await page.click('button:has-text("Save the draft")');
  assert.match(await page.textContent('.error-summary'), /line 1: name one of the office's funding sources/);
  assert.match(await page.textContent('.error-summary'), /Enter the executive summary/);
  assert.equal(await page.inputValue('#title'), 'Duty cover uplift for the IDVA services');
  await checkAccessibility(page, 'draft refused');
  await page.fill('#author', 'Jo Hale, Commissioning Manager');
  await page.fill('#summary', 'Out-of-hours duty cover by the two IDVA services for a year.');
  await page.fill('#background', 'The duty line is answered by the city and county IDVA services in turn.');
  await page.fill('#decision', 'To fund the duty cover, split by the time each area recorded.');
  // The amount split between the two providers by the activity each
  // area recorded over the last quarter.
  await page.fill('#amounts', '');
  await page.click('summary:has-text("Or split one amount")');
  await page.selectOption('#split_method', 'activity');
  await page.fill('#split_total', '55,000');
  const day = (d) => [d.getDate(), d.getMonth() + 1, d.getFullYear()];
  const now = new Date();
  for (const [name, d] of [['split_from', new Date(now.getTime() - 90 * 86400000)], ['split_to', new Date(now.getTime() - 86400000)]]) {
    const [dd, mm, yyyy] = day(d);
    await page.fill(`#${name}-day`, String(dd));
    await page.fill(`#${name}-month`, String(mm));
    await page.fill(`#${name}-year`, String(yyyy));
  }
  await page.fill('#split_lines', 'City Advocacy Partnership | Eastmoor City | Domestic abuse IDVA and ISVA funding\nCounty Advocacy Trust | Ashby Vale | Domestic abuse IDVA and ISVA funding');
  // Both IDVA contracts are affected; it raises the city contract's value
  // when approved.
  await page.fill('#affects', 'C-2026-004\nC-2026-003');
  await page.fill('#contract', 'C-2026-004');
  await page.fill('#contract_annual_value', '50,000');
  await page.fill('#financial', 'Within the ring-fenced allocation.');
  await page.fill('#legal', 'Section 143.');
  await page.fill('#equality', 'Open to every victim.');
  await page.selectOption('#exemption', 'commercially_sensitive');
  await page.fill('#exempt_text', 'The trust costed each post at £20,000.');
  await page.fill('#interests', 'None');
  await page.click('button:has-text("Save the draft")');
  assert.match(await page.textContent('[role=status]'), /The decision has been drafted/);
  assert.match(await page.textContent('#amounts'), /City Advocacy Partnership[\s\S]*County Advocacy Trust[\s\S]*£55,000\.00/);
  assert.match(await page.textContent('#split'), /Eastmoor City[\s\S]*Ashby Vale/);
  assert.match(await page.textContent('#affects'), /C-2026-004; C-2026-003/);
  // The parts add up to the whole, to the penny.
  const parts = await page.locator('#amounts tbody tr td.number').allTextContents();
  const pence = parts.slice(0, 2).map((p) => Math.round(Number(p.replace(/[£,]/g, '')) * 100));
  assert.equal(pence[0] + pence[1], 5500000);
  assert.ok(pence[0] > 0 && pence[1] > 0);
  await checkAccessibility(page, 'decision drafted');
  const decision = page.url().replace(/\?.*$/, '');
  await signOut(page);
  for (const who of ['finance@opcc-eastmoor.example', 'monitoring@opcc-eastmoor.example']) {
    await signIn(page, who);
    await page.waitForURL(`${base}/`);
    await page.goto(decision);
    await page.fill('#note', 'Agreed.');
    await page.click('button:has-text("Record my approval")');
    assert.match(await page.textContent('[role=status]'), /Your approval has been recorded/);
    await checkAccessibility(page, `decision consulted by ${who}`);
    await signOut(page);
  }
  await signIn(page, 'pcc@opcc-eastmoor.example');
  await page.waitForURL(`${base}/`);
  await page.goto(decision);
  assert.match(await page.textContent('main'), /Consulted/);
  // Asked first: approval cannot be undone.
  await page.click('button:has-text("Approve the decision")');
  assert.match(await page.textContent('.error-summary'), /Tick to confirm/);
  await checkAccessibility(page, 'approval not confirmed');
  await page.check('#confirmed');
  await page.click('button:has-text("Approve the decision")');
  assert.match(await page.textContent('[role=status]'), /The decision has been approved/);
  assert.match(await page.textContent('.status-line'), /Published/);
  assert.equal(await page.locator('a:has-text("Amend the decision")').count(), 0, 'never changed again');
  await checkAccessibility(page, 'decision approved');
  // The contract's value is the decision's, and the contract lists it.
  await page.goto(`${base}/contracts`);
  await page.click('a:has-text("C-2026-004")');
  assert.match(await page.textContent('main'), /£50,000\.00/);
  assert.match(await page.textContent('main'), /2026\.060/);
  await checkAccessibility(page, 'contract changed by the decision');
  await signOut(page);
  // Anyone reads the register, without signing in; the exempt part is withheld.
  await visit(page, '/register', 'public register');
  await page.selectOption('#provider', { label: 'City Advocacy Partnership' });
  await page.fill('#q', 'duty cover');
  await page.click('button:has-text("Find decisions")');
  await checkAccessibility(page, 'register filtered by provider');
  await page.click('a:has-text("2026.060")');
  assert.match(await page.textContent('#withheld'), /Commercially sensitive/);
  assert.doesNotMatch(await page.textContent('main'), /£20,000/);
  await checkAccessibility(page, 'published decision');
  await visit(page, '/register/services', 'funded services');
  assert.match(await page.textContent('#funded'), /C-2026-004/);
  const feed = await page.goto(`${base}/register/feed.atom`);
  assert.match(await feed.text(), /<entry>[\s\S]*2026\.060/);
});

test('the office pays a contract and reads its KPIs; the provider writes the quarter\'s narrative', async () => {
  const page = await newPage();
  await signIn(page, 'officer@opcc-eastmoor.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text="Contracts"');
  await checkAccessibility(page, 'contracts');
  await page.click('a:has-text("C-2026-004")');
  assert.match(await page.textContent('main'), /Counts are rounded to the nearest 5/, 'the office sees figures protected');
  await checkAccessibility(page, 'contract');
  // Refused by field, then recorded.
  await page.fill('#amount', 'a lot');
  await page.click('button:has-text("Record the payment")');
  assert.match(await page.textContent('.error-summary'), /Enter the amount paid in pounds/);
  assert.equal(await page.inputValue('#amount'), 'a lot');
  await checkAccessibility(page, 'payment refused');
  const today = new Date();
  await fillDate(page, 'paid_on', String(today.getDate()), String(today.getMonth() + 1), String(today.getFullYear()));
  await page.fill('#amount', '1,250.50');
  await page.fill('#note', 'Invoice 7781');
  await page.click('button:has-text("Record the payment")');
  assert.match(await page.textContent('[role=status]'), /The payment has been recorded/);
  assert.match(await page.textContent('#payments'), /£1,250\.50\s*Invoice 7781/);
  await checkAccessibility(page, 'payment recorded');
  await page.click('a:has-text("Correct the contract")');
  await checkAccessibility(page, 'correct a contract');
  // The regional pool the office leads, with each office's share.
  await visit(page, '/pools', 'regional pools');
  await page.click('a:has-text("Regional victims\' post")');
  assert.match(await page.textContent('#contributions'), /Westmoor[\s\S]*33\.33%/);
  await checkAccessibility(page, 'regional pool');
  // Corrected by the lead office: refused with one office, then saved.
  await page.click('a:has-text("Correct the pool")');
  const contributions = await page.inputValue('#contributions');
  await page.fill('#contributions', contributions.split('\n')[0]);
  await page.click('button:has-text("Save the correction")');
  assert.match(await page.textContent('.error-summary'), /two offices or more/);
  await checkAccessibility(page, 'pool correction refused');
  await page.fill('#contributions', contributions);
  await page.click('button:has-text("Save the correction")');
  assert.match(await page.textContent('[role=status]'), /The pool has been corrected/);
  assert.match(await page.textContent('#pool-money'), /paid in the pool's year/);
  await signOut(page);
  await signIn(page, 'contracts@cityadvocacy.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text="Contracts"');
  await page.click('a:has-text("C-2026-004")');
  assert.doesNotMatch(await page.textContent('main'), /Counts are rounded/, 'the provider sees its own figures exactly');
  assert.equal(await page.locator('button:has-text("Record the payment")').count(), 0);
  await page.fill('#narrative', 'The duty line was covered every evening.');
  await page.click('button:has-text("Save the narrative")');
  assert.match(await page.textContent('[role=status]'), /The narrative has been saved/);
  assert.match(await page.textContent('main'), /The duty line was covered every evening/);
  await checkAccessibility(page, 'narrative saved');
  await signOut(page);
});

test('an IDVA records her time; the manager reads the activity shares that split the cost', async () => {
  const page = await newPage();
  await signIn(page, 'idva@cityadvocacy.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text="Activity"');
  await checkAccessibility(page, 'your activity');
  const today = new Date();
  await fillDate(page, 'day', String(today.getDate()), String(today.getMonth() + 1), String(today.getFullYear()));
  await page.selectOption('#kind', 'court');
  await page.fill('#hours', '2');
  await page.fill('#minutes', '30');
  await page.click('button:has-text("Record the time")');
  assert.match(await page.textContent('.error-summary'), /Choose the area/);
  assert.equal(await page.inputValue('#hours'), '2');
  await checkAccessibility(page, 'activity refused');
  await page.selectOption('#area', { label: 'Eastmoor City' });
  await page.click('button:has-text("Record the time")');
  assert.match(await page.textContent('[role=status]'), /The time has been recorded/);
  assert.match(await page.textContent('main'), /2h 30m/);
  await page.click('table a');
  assert.match(await page.textContent('h1'), /Correct your activity/);
  await checkAccessibility(page, 'correct activity');
  await page.fill('#minutes', '45');
  await page.click('button:has-text("Save the correction")');
  assert.match(await page.textContent('[role=status]'), /The entry has been corrected/);
  assert.match(await page.textContent('main'), /2h 45m/);
  await signOut(page);
  await signIn(page, 'manager@cityadvocacy.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text="Activity report"');
  assert.match(await page.textContent('main'), /By area \(district\)/);
  assert.match(await page.textContent('main'), /Eastmoor City/);
  await checkAccessibility(page, 'activity report');
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.click('text=Download as CSV'),
  ]);
  const text = readFileSync(await csv.path(), 'utf8');
  assert.match(text, /^table,row,minutes,share\n/);
  assert.match(text, /By area \(district\),Eastmoor City,\d+,\d+\.\d\d%/);
  const [book] = await Promise.all([
    page.waitForEvent('download'),
    page.click('text=Download as a workbook (XLSX)'),
  ]);
  assert.equal(readFileSync(await book.path()).subarray(0, 2).toString(), 'PK');
  // The duty cover's cost split by activity, to the penny.
  await page.fill('#amount', 'fifty');
  await page.click('button:has-text("Show the report")');
  assert.match(await page.textContent('.error-summary'), /Enter an amount in pounds/);
  await checkAccessibility(page, 'activity split refused');
  await page.fill('#amount', '55,000');
  await page.click('button:has-text("Show the report")');
  assert.match(await page.textContent('main'), /Part of £55,000\.00/);
  const parts = await page.locator('table').first().locator('td[data-label="Part"]').allTextContents();
  const pence = parts.map((p) => Math.round(Number(p.replace(/[£,]/g, '')) * 100)).reduce((a, b) => a + b, 0);
  assert.equal(pence, 5500000);
  await checkAccessibility(page, 'activity split');
  await visit(page, '/help/activity', 'how activity is counted');
  await signOut(page);
});

test('a note typed as the session ends is put back after signing in again', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await signIn(page, 'caseworker@victimcare.example');
  await page.waitForURL(`${base}/`);
  assert.equal(await page.getAttribute('body', 'data-idle-seconds'), '1800');
  await page.goto(`${base}/cases`);
  await page.locator('tbody a').first().click();
  await page.click('nav[aria-label="Parts of this case"] >> text="Notes"');
  await page.fill('#note', 'Spoke about the court date; she wants a screen');
  // The session ends (as after half an hour away), then the note is sent.
  await context.clearCookies();
  await page.click('button:has-text("Add note")');
  await page.waitForURL(/\/login\?next=/);
  assert.match(await page.textContent('main'), /Sign in to go back to where you were/);
  await checkAccessibility(page, 'sign in to go back');
  await page.fill('#username', 'caseworker@victimcare.example');
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/section=notes/);
  assert.equal(await page.inputValue('#note'), 'Spoke about the court date; she wants a screen', 'the note is put back');
  assert.equal(await page.isVisible('#draft-restored'), true, 'and the page says so');
  await checkAccessibility(page, 'note put back after signing in');
  await page.click('button:has-text("Add note")');
  assert.match(await page.textContent('.notice-success'), /The note has been added/);
  await context.close();
});

test('a service manager adds a team and a member of staff, correcting mistakes', async () => {
  const page = await newPage();
  await signIn(page, 'manager@victimcare.example');
  await page.waitForURL(`${base}/`);
  await page.click('nav >> text=Services');
  await page.click('text=Eastmoor Victim Care: cope and recover');
  await page.click('button:has-text("Add team")');
  assert.match(await page.textContent('.error-summary'), /Enter the team's name/);
  await checkAccessibility(page, 'add team with errors');
  await page.fill('#name', 'Court support team');
  await page.click('button:has-text("Add team")');
  assert.match(await page.textContent('h1'), /Court support team/);
  await checkAccessibility(page, 'team with rename form');
  await page.fill('#name', 'Court and witness support team');
  await page.click('button:has-text("Rename team")');
  assert.match(await page.textContent('h1'), /Court and witness support team/);

  await visit(page, '/staff/new', 'add staff');
  await page.fill('#display_name', 'Robin Example');
  await page.fill('#username', 'robin');
  await page.fill('#password', 'short');
  await page.click('button:has-text("Add member of staff")');
  assert.match(await page.textContent('.error-summary'), /right format/);
  assert.equal(await page.inputValue('#display_name'), 'Robin Example', 'what was typed is kept');
  await checkAccessibility(page, 'add staff with errors');
  await page.fill('#username', 'robin.example@victimcare.example');
  await page.selectOption('#organisation_id', { label: 'Eastmoor Victim Care' });
  await page.selectOption('#service_id', { label: 'Eastmoor Victim Care: cope and recover (Eastmoor Victim Care)' });
  await page.selectOption('#role', 'caseworker');
  await page.fill('#password', 'copper kettle morning rain');
  await page.click('button:has-text("Add member of staff")');
  assert.match(await page.textContent('h1'), /Robin Example/);
  await checkAccessibility(page, 'staff member');
  await visit(page, '/staff', 'staff list');
  await visit(page, '/figures', 'manager figures');
  await signOut(page);
});

test('an administrator must set up a second factor, then manages the directory and tokens', async () => {
  const page = await newPage();
  await signIn(page, 'admin@waymark.example');
  await page.waitForURL(`${base}/account/second-factor`);
  await checkAccessibility(page, 'second factor setup');
  const secret = (await page.textContent('#setup-key')).trim();
  await page.fill('#code', '000000');
  await page.click('button:has-text("Confirm")');
  assert.match(await page.textContent('.error-summary'), /does not match/);
  await checkAccessibility(page, 'second factor setup with errors');
  await page.fill('#code', totp(secret));
  await page.click('button:has-text("Confirm")');
  await page.waitForURL(`${base}/`);
  await checkAccessibility(page, 'administrator home');

  await visit(page, '/organisations', 'organisations');
  await page.fill('#name', 'Northgate Hate Crime Service');
  await page.selectOption('#kind', 'provider');
  await page.click('button:has-text("Add organisation")');
  assert.match(await page.textContent('[role=status]'), /has been added/);
  await visit(page, '/areas', 'areas');
  await visit(page, '/services/new', 'add service');
  await page.fill('#name', 'Northgate hate crime support');
  await page.click('button:has-text("Add service")');
  await checkAccessibility(page, 'add service with errors');
  await page.selectOption('#kind', 'generic');
  await page.selectOption('#organisation_id', { label: 'Northgate Hate Crime Service' });
  await page.selectOption('#area_id', { label: 'Eastmoor City' });
  await page.click('button:has-text("Add service")');
  assert.match(await page.textContent('h1'), /Northgate hate crime support/);
  await page.click("text=Change the service's details");
  await checkAccessibility(page, 'change service');
  await page.fill('#name', 'Northgate hate crime and incident support');
  await page.click('button:has-text("Save changes")');
  assert.match(await page.textContent('h1'), /Northgate hate crime and incident support/);

  // A MARAC set up, refused without an area, then its agencies added and corrected.
  await visit(page, '/maracs/setup', 'marac set-up');
  await page.fill('#name', 'Northgate MARAC');
  await page.click('button:has-text("Set up the MARAC")');
  assert.match(await page.textContent('.error-summary'), /Choose the area the MARAC covers/);
  assert.equal(await page.inputValue('#name'), 'Northgate MARAC');
  await checkAccessibility(page, 'marac set-up refused');
  await page.selectOption('#area', { label: 'Eastmoor City' });
  await page.click('button:has-text("Set up the MARAC")');
  assert.match(await page.textContent('[role=status]'), /The MARAC has been set up/);
  await page.fill('#new-name', 'Northgate Police');
  await page.selectOption('#new-kind', 'police');
  await page.selectOption('#new-organisation', { label: 'Eastmoor Constabulary' });
  await page.click('button:has-text("Save the MARAC")');
  assert.match(await page.textContent('[role=status]'), /The MARAC has been saved/);
  assert.equal(await page.inputValue('#agency-0-name'), 'Northgate Police');
  await page.fill('#agency-0-name', '');
  await page.click('button:has-text("Save the MARAC")');
  assert.match(await page.textContent('.error-summary'), /Give each agency a name/);
  await checkAccessibility(page, 'marac correction refused');
  await page.fill('#agency-0-name', 'Eastmoor Constabulary, Northgate');
  await page.click('button:has-text("Save the MARAC")');
  assert.equal(await page.inputValue('#agency-0-name'), 'Eastmoor Constabulary, Northgate');
  await checkAccessibility(page, 'marac corrected');

  // A duty rota set up, refused without its services, then its handover time corrected.
  await visit(page, '/duty/setup', 'duty set-up');
  await page.fill('#name', 'Northgate night duty');
  await page.fill('#role', 'Night duty worker');
  await page.fill('#contact', 'Night line 01632 960 555');
  await page.fill('#pattern', 'weekday 20:00-08:00; weekend 20:00-08:00; bank_holiday 20:00-08:00');
  await page.click('button:has-text("Set up the rota")');
  assert.match(await page.textContent('.error-summary'), /Choose the services that share the rota/);
  assert.equal(await page.inputValue('#name'), 'Northgate night duty');
  await checkAccessibility(page, 'duty set-up refused');
  await page.check('label:has-text("Northgate hate crime and incident support")');
  await page.click('button:has-text("Set up the rota")');
  assert.match(await page.textContent('[role=status]'), /The rota has been set up/);
  await page.click('a:has-text("Northgate night duty")');
  await checkAccessibility(page, 'correct a duty rota');
  await page.fill('#handover_at', '8pm');
  await page.click('button:has-text("Save the rota")');
  assert.match(await page.textContent('.error-summary'), /Give the handover time as HH:MM/);
  await page.fill('#handover_at', '08:00');
  await page.click('button:has-text("Save the rota")');
  assert.match(await page.textContent('[role=status]'), /The rota has been saved/);
  assert.match(await page.textContent('main'), /Northgate night duty.*08:00/s);

  // A programme set up, refused until its period is given, then corrected.
  await visit(page, '/programmes/setup', 'programme set-up');
  await page.selectOption('#service', { label: 'Northgate hate crime and incident support' });
  await page.fill('#name', 'Northgate outreach pilot');
  await page.fill('#funding', '12,500');
  await page.click('button:has-text("Set up the programme")');
  assert.match(await page.textContent('.error-summary'), /Enter the day it starts as a real date/);
  assert.equal(await page.inputValue('#funding'), '12,500');
  await checkAccessibility(page, 'programme set-up refused');
  const dateBoxes = async (name, d, m, y) => {
    await page.fill(`input[name="${name}-day"]`, d);
    await page.fill(`input[name="${name}-month"]`, m);
    await page.fill(`input[name="${name}-year"]`, y);
  };
  await dateBoxes('starts_on', '1', '4', '2026');
  await dateBoxes('ends_on', '31', '3', '2027');
  await dateBoxes('baseline_from', '1', '4', '2025');
  await dateBoxes('baseline_to', '31', '3', '2026');
  await page.fill('#partners', 'Northgate Council: lead commissioner');
  await page.click('button:has-text("Set up the programme")');
  assert.match(await page.textContent('[role=status]'), /The programme has been set up/);
  await page.click('a:has-text("Northgate outreach pilot")');
  await checkAccessibility(page, 'correct a programme');
  await page.fill('#funding', '13,000');
  await page.click('button:has-text("Save the programme")');
  assert.match(await page.textContent('[role=status]'), /The programme has been saved/);

  await visit(page, '/tokens', 'api tokens');
  await page.fill('#name', 'Eastmoor Constabulary referral feed');
  await page.selectOption('#organisation_id', { label: 'Eastmoor Constabulary' });
  await page.check('text=directory:read');
  await page.click('button:has-text("Issue token")');
  assert.match(await page.textContent('#new-token'), /^wm_/);
  await checkAccessibility(page, 'token issued');
  await visit(page, '/staff', 'administrator staff list');

  await visit(page, '/code-rules', "victims' code rules");
  await page.fill('#first_contact-working_days', 'two');
  await page.click('button:has-text("Change deadline: First contact by the service")');
  assert.match(await page.textContent('.error-summary'), /whole number/);
  await checkAccessibility(page, 'code rules with errors');
  await page.fill('#first_contact-working_days', '1');
  await page.click('button:has-text("Change deadline: First contact by the service")');
  assert.match(await page.textContent('[role=status]'), /deadline has been changed/);
  await page.fill('#code', 'stalking');
  await page.fill('#label', 'Stalking');
  await page.check('#consent');
  await page.click('button:has-text("Save crime type")');
  assert.match(await page.textContent('[role=status]'), /The crime type is offered for new referrals/);
  await page.click('button:has-text("Retire: Stalking")');
  assert.match(await page.textContent('h1'), /Retire this crime type\?/);
  await checkAccessibility(page, 'retire a crime type: asked first');
  await page.click('button:has-text("Yes, retire it")');
  assert.match(await page.textContent('[role=status]'), /retired/);
  await checkAccessibility(page, 'code rules after changes');
  await signOut(page);

  // Next time, the code is asked for at sign-in.
  await signIn(page, 'admin@waymark.example');
  await page.waitForURL(`${base}/login/code`);
  await checkAccessibility(page, 'enter code');
});

test('an auditor reads and verifies the audit log; a commissioner sees only figures', async () => {
  const page = await newPage();
  await signIn(page, 'auditor@waymark.example');
  await page.waitForURL(`${base}/`);
  await visit(page, '/audit', 'audit log');
  assert.match(await page.content(), /login\.succeeded/);
  await page.click('text=Verify the chain');
  assert.match(await page.textContent('#chain-status'), /is intact/);
  await checkAccessibility(page, 'audit log verified');
  await signOut(page);

  await signIn(page, 'commissioner@opcc-eastmoor.example');
  await page.waitForURL(`${base}/`);
  await checkAccessibility(page, 'commissioner home');
  await visit(page, '/figures', 'commissioner figures');
  assert.doesNotMatch(await page.content(), /Casey Worker/);
  const partMonth = await page.goto(`${base}/reports/moj?from=2026-10-05&to=2026-10-31`);
  assert.equal(partMonth.status(), 422, 'part of a month is refused');
  assert.match(await page.content(), /Choose one reporting period that has ended/, 'a commissioner asks for a reporting period');
  await checkAccessibility(page, 'moj return for part of a month');
  await visit(page, '/reports/moj', 'moj return form');
  // Several services together are refused: each is seen on its own.
  await page.click('button:has-text("Show the return")');
  assert.match(await page.textContent('.error-summary'), /Choose one service/);
  await checkAccessibility(page, 'moj return without a service');
  await page.locator('#services input[type=radio]').first().check();
  await page.click('button:has-text("Show the return")');
  assert.match(await page.content(), /Referrals received/);
  assert.match(await page.content(), /Counts are rounded to the nearest 5; counts from 1 to 4 are shown as &lt;5/);
  assert.match(await page.textContent('#kept'), /kept as first shown, on \d+ \w+ \d{4}/, 'the figures say when they were kept');
  await checkAccessibility(page, 'moj return');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('text=Download as a workbook (XLSX)'),
  ]);
  const workbook = readFileSync(await download.path());
  assert.equal(workbook.subarray(0, 2).toString(), 'PK', 'the download is an XLSX workbook');
  await page.click('caption >> text=(how this is counted)');
  await checkAccessibility(page, 'how the return is counted');
  // The MARAC in the commissioned services' area, protected the same way.
  await visit(page, '/reports/moj', 'moj return form, again');
  await page.click('a:has-text("Eastmoor City MARAC")');
  await page.waitForURL(/\/maracs\/[^/]+\/figures/);
  assert.match(await page.textContent('main'), /Counts are rounded to the nearest 5/);
  assert.match(await page.textContent('#kept'), /kept as first shown/);
  // The latest reporting period to have ended: the demonstration's meeting
  // four weeks ago is in it or in the one still running.
  assert.match(await page.textContent('main'), /Cases heard\s*(0|<5)/, 'one case heard at most, shown as <5');
  await checkAccessibility(page, 'marac figures for a commissioner');
  const denied = await page.goto(`${base}/staff`);
  assert.equal(denied.status(), 403);
  await checkAccessibility(page, 'permission denied');
  const missing = await page.goto(`${base}/no-such-page`);
  assert.equal(missing.status(), 404);
  await checkAccessibility(page, 'page not found');
  // Error pages keep the signed-in person's navigation and sign-out.
  await signOut(page);
  assert.ok(visited.size >= 25, `visited ${visited.size} pages`);
});
