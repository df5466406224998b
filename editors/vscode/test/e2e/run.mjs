// End-to-end test of the notes-ls VS Code extension inside a real VS Code: the web build served
// by code-server, driven by Debian's chromium through playwright-core. Everything is asserted
// from the DOM, i.e. what a person sees.
//
//   node run.mjs --code-server ENTRY_JS --vsix notes-ls.vsix --server NOTES_LS_BIN
//
// Usually started by run.sh (which installs what is missing). Env:
//   NOTES_LS_E2E_TIMEOUT_MS   per wait (default 20000)
//   NOTES_LS_E2E_ARTIFACTS    screenshots + logs (default <repo>/target/vscode-e2e)
//   NOTES_LS_E2E_KEEP=1       keep the scratch dir
//   NOTES_LS_E2E_TRACE=1      trace LSP traffic (notesLs.trace.server = verbose; see the artifacts)
//   CHROMIUM                  browser binary (default /usr/bin/chromium)
// Prints "vscode e2e: N passed, M failed"; exits non-zero if any check failed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../../../..');
const TIMEOUT = Number(process.env.NOTES_LS_E2E_TIMEOUT_MS || 20000);
const ARTIFACTS = path.resolve(process.env.NOTES_LS_E2E_ARTIFACTS || path.join(REPO, 'target/vscode-e2e'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const T0 = Date.now();

// ------------------------------------------------------------------ arguments
function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    out[k] = argv[i + 1];
  }
  for (const k of ['code-server', 'vsix', 'server']) {
    if (!out[k]) {
      console.error(`usage: node run.mjs --code-server ENTRY_JS --vsix FILE.vsix --server NOTES_LS_BIN (missing --${k})`);
      process.exit(2);
    }
    out[k] = path.resolve(out[k]);
    if (!fs.existsSync(out[k])) {
      console.error(`run.mjs: --${k} ${out[k]} does not exist`);
      process.exit(2);
    }
  }
  return out;
}
const args = parseArgs(process.argv.slice(2));

// ------------------------------------------------------------------ reporting
const results = [];
function log(msg) {
  console.log(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
}
function record(name, ok, detail) {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'}: ${name}${detail ? `\n      ${detail.replace(/\n/g, '\n      ')}` : ''}`);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn() until it returns a truthy value; returns it, or the last value on timeout. */
async function poll(fn, { timeout = TIMEOUT, interval = 200 } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
    } catch (e) {
      last = undefined;
    }
    if (last) return last;
    if (Date.now() > end) return last;
    await sleep(interval);
  }
}

// ------------------------------------------------------------------ scratch set-up
const SCRATCH = fs.mkdtempSync(path.join(os.tmpdir(), 'notes-ls-vscode-e2e-'));
const USER_DATA = path.join(SCRATCH, 'user-data');
const EXTENSIONS = path.join(SCRATCH, 'extensions');
const WS = path.join(SCRATCH, 'workspace');
const PROFILE = path.join(SCRATCH, 'chromium-profile');
const SETTINGS = path.join(USER_DATA, 'User', 'settings.json');
const WS_SETTINGS = path.join(WS, '.vscode', 'settings.json');
const CS_LOG = path.join(SCRATCH, 'code-server.log');
fs.mkdirSync(path.dirname(SETTINGS), { recursive: true });
fs.mkdirSync(EXTENSIONS, { recursive: true });
fs.mkdirSync(PROFILE, { recursive: true });
fs.rmSync(ARTIFACTS, { recursive: true, force: true });
fs.mkdirSync(ARTIFACTS, { recursive: true });

// The sample notes as they were written, before `notes-ls fmt` (tests/fixtures/sample-notes-raw):
// the checks below name their lines and use their unmarked questions.
fs.cpSync(path.join(REPO, 'tests', 'fixtures', 'sample-notes-raw'), path.join(WS, 'sample-notes'), { recursive: true });
// Make `missing-question-marker` (a hint by default, and the Problems panel never lists hints)
// visible in Problems through the server's own config file, so check 7 can watch the editor
// setting turn it off.
// Check 10's large file, written before the workbench starts (written mid-test, Quick Open did
// not always list it in time) and left out of the workspace's notes (`exclude`): opened, it is
// the editor's document, whose pulled reports the server streams, and until then the other
// checks see the Problems and the status bar they always saw.
const LARGE = largeNotes(4_300_000);
fs.mkdirSync(path.join(WS, 'large'), { recursive: true });
fs.writeFileSync(path.join(WS, 'large', 'large.notes'), LARGE.text);
fs.writeFileSync(
  path.join(WS, 'notes-ls.toml'),
  '[diagnostics]\nmissing-question-marker = "info"\n\n[files]\nexclude = ["large/**"]\n',
);
const NOTES_FILE = path.join(WS, 'sample-notes', 'http-and-security.notes');
const NOTES_NAME = path.basename(NOTES_FILE);
const SECOND_NAME = 'databases.notes';

const baseSettings = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'outline.collapseItems': 'alwaysCollapse',
  'editor.minimap.enabled': false,
  'notesLs.server.path': args.server,
  // NOTES_LS_E2E_TRACE=1: LSP traffic in the "notes-ls Trace" log (saved with the artifacts).
  ...(process.env.NOTES_LS_E2E_TRACE === '1' ? { 'notesLs.trace.server': 'verbose' } : {}),
};
function writeSettings(extra = {}) {
  fs.writeFileSync(SETTINGS, JSON.stringify({ ...baseSettings, ...extra }, null, 2));
}
writeSettings();

// ------------------------------------------------------------------ code-server
let codeServer;
function codeServerArgs() {
  return [
    args['code-server'],
    '--config', path.join(SCRATCH, 'code-server.yaml'),
    '--user-data-dir', USER_DATA,
    '--extensions-dir', EXTENSIONS,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
}
fs.writeFileSync(path.join(SCRATCH, 'code-server.yaml'), 'auth: none\ncert: false\n');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function installExtension() {
  const r = spawnSync(process.execPath, [...codeServerArgs(), '--install-extension', args.vsix], {
    encoding: 'utf8',
    timeout: 120000,
  });
  const out = `${r.stdout}${r.stderr}`.trim();
  fs.appendFileSync(CS_LOG, `--- install-extension\n${out}\n`);
  const installed = fs.readdirSync(EXTENSIONS).filter((d) => d.startsWith('notes-ls.notes-ls-'));
  if (r.status !== 0 || installed.length === 0) {
    throw new Error(`code-server --install-extension failed (exit ${r.status}):\n${out}`);
  }
  return `${installed[0]} (${out.split('\n').pop()})`;
}

async function startCodeServer(port) {
  const logFd = fs.openSync(CS_LOG, 'a');
  codeServer = spawn(
    process.execPath,
    [...codeServerArgs(), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--ignore-last-opened', WS],
    { stdio: ['ignore', logFd, logFd], env: { ...process.env, NOTES_LS_E2E: '1' } },
  );
  let exited = null;
  codeServer.on('exit', (code, sig) => {
    exited = `exit ${code ?? sig}`;
  });
  const ok = await poll(
    async () => {
      if (exited) throw new Error(exited);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      return res && res.ok;
    },
    { timeout: 60000, interval: 250 },
  );
  if (!ok) throw new Error(`code-server did not answer on port ${port} (${exited ?? 'still running'})`);
}

function stopCodeServer() {
  if (codeServer && codeServer.exitCode === null) {
    codeServer.kill('SIGTERM');
  }
}

// ------------------------------------------------------------------ workbench helpers
let page;
let context;
let shotNo = 0;
async function shot(name) {
  shotNo += 1;
  const file = path.join(ARTIFACTS, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file }).catch((e) => log(`screenshot ${name} failed: ${e.message}`));
  return file;
}

const norm = (s) => (s || '').replace(/\u00a0/g, ' ');

/** Runs a command through the command palette (F1), picking the entry whose label matches. */
async function runCommand(label, { match } = {}) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(`>${label}`);
  const want = match || ((l) => l === label || l.endsWith(`: ${label}`));
  const idx = await poll(async () => {
    const labels = await page.$$eval('.quick-input-widget .quick-input-list .monaco-list-row', (rows) =>
      rows.map((r) => [Number(r.getAttribute('data-index')), (r.querySelector('.label-name')?.textContent || '').trim()]),
    );
    const hit = labels.find(([, l]) => want(l.replace(/\u00a0/g, ' ')));
    return hit ? { i: hit[0] } : null;
  });
  if (!idx) {
    const seen = await page
      .$$eval('.quick-input-widget .quick-input-list .monaco-list-row', (rows) => rows.map((r) => r.textContent))
      .catch(() => []);
    await page.keyboard.press('Escape');
    throw new Error(`command "${label}" not found in the palette (saw: ${JSON.stringify(seen.slice(0, 8))})`);
  }
  await page.locator(`.quick-input-widget .quick-input-list .monaco-list-row[data-index="${idx.i}"]`).click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT }).catch(() => {});
}

/** Opens a workspace file with Quick Open (Ctrl+P), like a person. */
async function openFile(name) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const qi = page.locator('.quick-input-widget .quick-input-box input');
  await qi.waitFor({ state: 'visible', timeout: TIMEOUT });
  await qi.fill(name);
  const found = await poll(async () =>
    page.$$eval('.quick-input-widget .quick-input-list .monaco-list-row .label-name', (els, n) =>
      els.some((e) => (e.textContent || '').trim() === n), name),
  );
  if (!found) throw new Error(`Quick Open did not find ${name}`);
  await page.keyboard.press('Enter');
  await poll(() => page.$eval('.editor-group-container.active .tab.active', (t) => (t.getAttribute('aria-label') || t.textContent || '').includes(name)));
  await page.waitForSelector(`${EDITOR} .view-lines .view-line`, { timeout: TIMEOUT });
}

/** The active editor's DOM. */
const EDITOR = '.editor-group-container.active .editor-instance .monaco-editor';

async function focusEditor() {
  await page.keyboard.press('Escape');
  await runCommand('View: Focus Active Editor Group', {
    match: (l) => /Focus Active Editor Group$/.test(l),
  });
  await page.waitForSelector(`${EDITOR}.focused`, { timeout: TIMEOUT });
}

/** Moves the cursor with Go to Line/Column (Ctrl+G), like a person would. */
async function gotoLine(line, col = 1) {
  await focusEditor();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(`:${line}:${col}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT }).catch(() => {});
  await poll(async () => (await cursorPosition()) === `Ln ${line}, Col ${col}`, { timeout: 5000 });
}

/** The status bar's "Ln X, Col Y". */
async function cursorPosition() {
  return page.evaluate(() => {
    for (const el of document.querySelectorAll('.statusbar-item')) {
      const m = /Ln \d+, Col \d+/.exec(el.textContent || '');
      if (m) return m[0];
    }
    return null;
  });
}

/** Text of the line the cursor is on, read from the rendered view lines. */
async function cursorLineText() {
  return page.evaluate((sel) => {
    const ed = document.querySelector(sel);
    if (!ed) return null;
    const cursor = ed.querySelector('.cursors-layer .cursor');
    if (!cursor) return null;
    const top = cursor.style.top;
    for (const line of ed.querySelectorAll('.view-lines .view-line')) {
      if (line.style.top === top) return (line.textContent || '').replace(/\u00a0/g, ' ');
    }
    return null;
  }, EDITOR);
}

async function lineText(n) {
  await gotoLine(n, 1);
  return cursorLineText();
}

// --- notifications: record every toast that ever shows, with its severity.
async function installToastRecorder() {
  await page.evaluate(() => {
    if (window.__e2eToasts) return;
    window.__e2eToasts = [];
    const seen = new Set();
    const scan = () => {
      for (const item of document.querySelectorAll('.notification-list-item')) {
        const icon = item.querySelector('.notification-list-item-icon');
        const cls = icon ? icon.className : '';
        const severity = /codicon-error/.test(cls) ? 'error' : /codicon-warning/.test(cls) ? 'warning' : 'info';
        const message = (item.querySelector('.notification-list-item-message')?.textContent || '').trim();
        const source = (item.querySelector('.notification-list-item-source')?.textContent || '').trim();
        const key = `${severity}|${message}`;
        if (message && !seen.has(key)) {
          seen.add(key);
          window.__e2eToasts.push({ severity, message, source, at: Date.now() });
        }
      }
    };
    new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, characterData: true });
    scan();
  });
}
const recordedToasts = () => page.evaluate(() => window.__e2eToasts || []);

/** Every notification in the notification center (toasts that already hid stay there). */
async function notificationCenter() {
  await runCommand('Notifications: Show Notifications', { match: (l) => /Show Notifications$/.test(l) });
  await page.waitForSelector('.notifications-center.visible', { timeout: TIMEOUT }).catch(() => {});
  await sleep(300);
  const items = await page.$$eval('.notifications-center .notification-list-item', (els) =>
    els.map((item) => {
      const cls = item.querySelector('.notification-list-item-icon')?.className || '';
      return {
        severity: /codicon-error/.test(cls) ? 'error' : /codicon-warning/.test(cls) ? 'warning' : 'info',
        message: (item.querySelector('.notification-list-item-message')?.textContent || '').trim(),
        source: (item.querySelector('.notification-list-item-source')?.textContent || '').trim(),
      };
    }),
  );
  return items;
}

// --- Problems panel
async function openProblems() {
  await runCommand('Problems: Focus on Problems View', { match: (l) => /Focus on Problems View$/.test(l) });
  await page.waitForSelector('.markers-panel', { state: 'visible', timeout: TIMEOUT });
}

/** Types into the Problems panel's filter box. */
async function filterProblems(text) {
  const input = page.locator('.panel .viewpane-filter input, .panel .markers-panel-action-filter input').first();
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(text);
  await sleep(100);
}

/** Rows of the Problems tree, in order: {level, file?, severity?, text}. */
async function problemRows() {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) =>
    rows
      .map((r) => {
        const level = Number(r.getAttribute('aria-level') || 0);
        // The aria label starts with the severity ("Warning: ..."); the icon is replaced by a
        // light bulb on the selected row, so it is only the fallback.
        const aria = r.getAttribute('aria-label') || '';
        const icon = r.querySelector('.marker-icon');
        const cls = icon ? icon.className : '';
        const m = /^(Error|Warning|Info)\b/i.exec(aria);
        const severity = m
          ? m[1].toLowerCase()
          : /codicon-error/.test(cls) ? 'error' : /codicon-warning/.test(cls) ? 'warning' : /codicon-info/.test(cls) ? 'info' : '';
        return {
          index: Number(r.getAttribute('data-index')),
          level,
          severity,
          text: (r.textContent || '').replace(/\u00a0/g, ' ').trim(),
          file: (r.querySelector('.label-name')?.textContent || '').trim(),
          aria,
        };
      })
      .sort((a, b) => a.index - b.index),
  );
}

/** Markers (level 2 rows) with the file they belong to. */
async function problemMarkers() {
  const rows = await problemRows();
  let file = '';
  const out = [];
  for (const r of rows) {
    if (r.level === 1) file = r.file || r.text;
    else if (r.level === 2) out.push({ ...r, file });
  }
  return out;
}

// ------------------------------------------------------------------ the checks
/** The status bar's "N unanswered" item, or null. */
async function statusText() {
  return page.evaluate(() => {
    for (const el of document.querySelectorAll('.statusbar-item')) {
      const t = (el.textContent || '').trim();
      if (/\d+ unanswered/.test(t)) return t;
    }
    return null;
  });
}

/** Notes of at least `len` bytes (the corpus of tests/lsp_pull.rs `notes_of`): every tenth
 *  question unanswered, with characters of two and four bytes; some ask the same question. */
function largeNotes(len) {
  const answer = 'an answer long enough to count as one '.repeat(6);
  const parts = [];
  let bytes = 0;
  let unanswered = 0;
  for (let i = 0; bytes < len; i++) {
    let s;
    if (i % 10 === 0) {
      s = `*Unanswered question ${i}, 😀 ünïcode?\n\n`;
      unanswered++;
    } else if (i % 97 === 0) s = '*What is CSRF?\n-> A forged request from another site.\n\n';
    else s = `*Question number ${i}?\n-> ${answer}\n\n`;
    parts.push(s);
    bytes += Buffer.byteLength(s);
  }
  return { text: parts.join(''), unanswered };
}

async function check(name, fn) {
  const t = Date.now();
  try {
    const detail = await fn();
    record(`${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`, true, detail || '');
  } catch (e) {
    record(`${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`, false, e && e.message ? e.message : String(e));
  }
  await shot(name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60));
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function main() {
  log(`scratch: ${SCRATCH}`);
  log(`artifacts: ${ARTIFACTS}`);
  log(`server: ${args.server}`);
  log(`installing ${args.vsix}`);
  log(`installed: ${installExtension()}`);

  const port = await freePort();
  await startCodeServer(port);
  log(`code-server on http://127.0.0.1:${port}/`);

  context = await chromium.launchPersistentContext(PROFILE, {
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  page = context.pages()[0] || (await context.newPage());
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });

  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(WS)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  await installToastRecorder();
  log('workbench loaded');

  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 }).catch(() => {});
  await openFile(NOTES_NAME);
  log(`opened ${NOTES_NAME}`);

  // The extension is up once its status bar item counts the unanswered questions.
  const status = await poll(statusText, { timeout: 60000 });
  log(`status bar: ${status ?? '(no "N unanswered" item)'}`);
  // The language mode in the status bar.
  const mode = await page
    .$$eval('.statusbar-item', (els) => els.map((e) => (e.getAttribute('aria-label') || e.textContent || '').trim()))
    .catch(() => []);
  log(`status bar items: ${JSON.stringify(mode.filter(Boolean).slice(0, 20))}`);

  // ---------------------------------------------------------------- 1. no error/warning toast
  await check('1. no error or warning notification', async () => {
    assert(status, 'the extension never showed its "N unanswered" status bar item (server not running?)');
    // A bad-configuration message comes right after initialize; give it a moment to show.
    await poll(async () => (await recordedToasts()).some((t) => t.severity !== 'info'), { timeout: 3000 });
    const toasts = await recordedToasts();
    const center = await notificationCenter();
    await shot('notification-center');
    await page.keyboard.press('Escape');
    const all = [...toasts, ...center];
    const bad = all.filter((t) => t.severity === 'error' || t.severity === 'warning');
    const uniq = [...new Map(bad.map((t) => [`${t.severity}|${t.message}`, t])).values()];
    assert(
      uniq.length === 0,
      `saw ${uniq.length} error/warning notification(s):\n` +
        uniq.map((t) => `[${t.severity}] ${t.message}${t.source ? ` (source: ${t.source})` : ''}`).join('\n'),
    );
    const info = [...new Set(all.map((t) => t.message))];
    return info.length ? `info notifications only: ${JSON.stringify(info)}` : 'no notifications at all';
  });

  // ---------------------------------------------------------------- 2. Problems lists the unanswered question
  await check('2. Problems panel lists the unanswered question as a warning', async () => {
    await openProblems();
    await filterProblems('Unanswered question');
    const want = (m) => m.file.includes(NOTES_NAME) && /Unanswered question/.test(m.text) && /Ln 98, Col 2/.test(m.text);
    const markers = await poll(async () => {
      const ms = await problemMarkers();
      return ms.some(want) ? ms : null;
    });
    const all = markers || (await problemMarkers());
    const hit = all.find(want);
    assert(
      hit,
      `no "Unanswered question" marker at Ln 98 of ${NOTES_NAME} ("*What is rate limiting and how would you implement it?"); ` +
        `Problems rows: ${JSON.stringify((await problemRows()).map((r) => r.text))}`,
    );
    assert(hit.severity === 'warning', `the marker is not shown as a warning (icon severity: "${hit.severity}"): ${hit.text}`);
    return `${hit.file}: ${hit.text}`;
  });
  await filterProblems('').catch(() => {});

  // ---------------------------------------------------------------- 3. hover
  await check('3. hover on a glossary term shows its definition', async () => {
    // Line 105: "Nginx usually speaks HTTP/2 ..."; Nginx is in the built-in glossary only.
    await gotoLine(105, 3);
    const hover = page.locator(`${EDITOR} .monaco-hover:not(.hidden) .hover-contents`).first();
    let text = null;
    for (let attempt = 0; attempt < 2 && !text; attempt++) {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      text = await poll(async () => {
        const t = norm(await hover.textContent({ timeout: 500 }).catch(() => ''));
        return t && /Nginx/.test(t) && t.length > 20 ? t : null;
      }, { timeout: TIMEOUT / 2 });
    }
    const glossary = fs.readFileSync(path.join(REPO, 'data/glossary.toml'), 'utf8');
    const m = /name = "Nginx"[\s\S]*?definition = "([^"]+)"/.exec(glossary);
    const def = m ? m[1] : '';
    assert(text, `no hover with "Nginx" appeared at Ln 105, Col 3 (visible hover text: ${JSON.stringify(norm(await page.locator(`${EDITOR} .monaco-hover`).first().textContent({ timeout: 500 }).catch(() => '')))})`);
    const head = def.slice(0, 40);
    assert(text.includes(head), `hover does not show the glossary definition ("${head}..."); it reads: ${JSON.stringify(text)}`);
    return `hover: ${JSON.stringify(text.slice(0, 160))}`;
  });
  await page.keyboard.press('Escape');

  // ---------------------------------------------------------------- 4. completion of a multi-word term
  await check('4. completion inserts a multi-word term whole', async () => {
    // A new empty line at the end of the file, then "rate lim" -> glossary term "rate limiting".
    await gotoLine(1, 1);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('rate lim', { delay: 40 });
    const typed = await cursorLineText();
    assert(typed === 'rate lim', `typing "rate lim" on an empty line left the line as ${JSON.stringify(typed)}`);
    const rowSel = `${EDITOR} .suggest-widget.visible .monaco-list-row`;
    let labels = null;
    for (let attempt = 0; attempt < 3 && !labels; attempt++) {
      await page.keyboard.press('Control+Space');
      labels = await poll(async () => {
        const ls = await page.$$eval(rowSel, (rows) =>
          rows
            .map((r) => ({
              i: Number(r.getAttribute('data-index')),
              label: (r.querySelector('.label-name')?.textContent || r.getAttribute('aria-label') || '').replace(/\u00a0/g, ' ').trim(),
              focused: r.classList.contains('focused'),
            }))
            .sort((a, b) => a.i - b.i),
        );
        return ls.length && ls.some((l) => l.label === 'rate limiting') ? ls : null;
      }, { timeout: TIMEOUT / 2 });
    }
    await shot('completion-list');
    if (!labels) {
      const seen = await page.$$eval(rowSel, (rows) => rows.map((r) => r.getAttribute('aria-label'))).catch(() => []);
      throw new Error(`no "rate limiting" item in the suggest widget after "rate lim" (items: ${JSON.stringify(seen)})`);
    }
    // Move the focus to "rate limiting" with the arrow keys, then accept with Enter.
    for (let n = 0; n < 30; n++) {
      const focused = await page.$eval(`${rowSel}.focused .label-name`, (e) => (e.textContent || '').trim()).catch(() => '');
      if (focused === 'rate limiting') break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await page.locator(`${EDITOR} .suggest-widget.visible`).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    const line = await poll(async () => {
      const t = await cursorLineText();
      return t && t !== 'rate lim' ? t : null;
    }, { timeout: 5000 });
    assert(line === 'rate limiting', `after accepting "rate limiting" the line reads ${JSON.stringify(line)}, expected "rate limiting"`);
    return `line: ${JSON.stringify(line)} (items: ${JSON.stringify(labels.map((l) => l.label).slice(0, 6))})`;
  });
  // Undo the completion test's edit so the rest sees the original text.
  await page.keyboard.press('Escape');
  await focusEditor();
  for (let i = 0; i < 4; i++) await page.keyboard.press('Control+Z');

  // ---------------------------------------------------------------- 5. outline
  await check('5. Outline view lists the questions', async () => {
    const expected = JSON.parse(
      spawnSync(args.server, ['outline', NOTES_FILE, '--format', 'json'], { encoding: 'utf8' }).stdout || 'null',
    );
    const names = extractQuestionNames(expected);
    assert(names.length > 5, `could not read the expected questions from "notes-ls outline --format json" (${JSON.stringify(expected).slice(0, 200)})`);
    await runCommand('Explorer: Focus on Outline View', { match: (l) => /Focus on Outline View$/.test(l) });
    // Give the outline the whole side bar: collapse the folder tree above it.
    await page.evaluate(() => {
      const header = document.querySelector('.explorer-viewlet .pane-header[aria-expanded="true"]');
      if (header && /folder|workspace|explorer/i.test(header.closest('.pane')?.querySelector('.title')?.textContent || 'x')) {
        const first = document.querySelector('.explorer-viewlet .pane:first-child .pane-header[aria-expanded="true"]');
        if (first) first.click();
      }
    });
    const sel = '.outline-pane .monaco-list-row, [id="outline"] .monaco-list-row, .pane-body .outline-pane .monaco-list-row';
    const rows = await poll(async () => {
      const rs = await page.$$eval(sel, (els) =>
        els.map((e) => ({ i: Number(e.getAttribute('data-index')), level: Number(e.getAttribute('aria-level')), label: (e.querySelector('.label-name')?.textContent || '').replace(/\u00a0/g, ' ').trim() })),
      );
      const top = rs.filter((r) => r.level === 1).sort((a, b) => a.i - b.i).map((r) => r.label);
      return top.length >= names.length ? top : null;
    });
    const seen = rows || (await page.$$eval(sel, (els) => els.map((e) => (e.textContent || '').trim())).catch(() => []));
    const missing = names.filter((n) => !seen.includes(n));
    assert(
      rows && missing.length === 0,
      `Outline is missing ${missing.length}/${names.length} questions: ${JSON.stringify(missing)}; it shows ${JSON.stringify(seen)}`,
    );
    return `${rows.length} top-level entries, e.g. ${JSON.stringify(rows.slice(0, 3))}`;
  });

  // ---------------------------------------------------------------- 6. quick fix
  await check('6. quick fix "add *" applies', async () => {
    const before = await lineText(54);
    assert(before === 'what is a webhook ?', `line 54 should read "what is a webhook ?" before the fix, reads ${JSON.stringify(before)}`);
    await gotoLine(54, 3);
    const rowSel = '.action-widget .monaco-list-row';
    let actions = null;
    for (let attempt = 0; attempt < 3 && !actions; attempt++) {
      await page.keyboard.press('Control+.');
      actions = await poll(async () => {
        const as = await page.$$eval(rowSel, (rows) =>
          rows.map((r) => ({ i: Number(r.getAttribute('data-index')), text: (r.textContent || '').replace(/\u00a0/g, ' ').trim(), aria: r.getAttribute('aria-label') || '' })),
        );
        return as.some((a) => /add\s*`?\*`?/i.test(a.text)) ? as : null;
      }, { timeout: TIMEOUT / 2 });
      if (!actions) await page.keyboard.press('Escape');
    }
    await shot('quick-fix-menu');
    if (!actions) {
      const seen = await page.$$eval(rowSel, (rows) => rows.map((r) => r.textContent)).catch(() => []);
      throw new Error(`no "add *" quick fix offered on Ln 54 (menu: ${JSON.stringify(seen)})`);
    }
    const pick = actions.find((a) => /add\s*`?\*`?/i.test(a.text));
    // Keyboard, like a person (the menu's pointer block swallows synthetic clicks).
    for (let n = 0; n < 20; n++) {
      const focused = await page.$eval(`${rowSel}.focused`, (e) => Number(e.getAttribute('data-index'))).catch(() => -1);
      if (focused === pick.i) break;
      await page.keyboard.press(focused > pick.i ? 'ArrowUp' : 'ArrowDown');
    }
    await page.keyboard.press('Enter');
    await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    const after = await poll(async () => {
      const t = await lineText(54);
      return t && t !== before ? t : null;
    }, { timeout: 5000 });
    assert(after === '*what is a webhook ?', `after "${pick.text}" line 54 reads ${JSON.stringify(after ?? before)}, expected "*what is a webhook ?"`);
    return `applied "${pick.text}": line 54 now ${JSON.stringify(after)}`;
  });

  // ---------------------------------------------------------------- 7. setting change without restart
  await check('7. a changed setting takes effect without a restart', async () => {
    // Check 6 fixed the only unmarked question of the first file; databases.notes has another
    // (Ln 66). The server pulls diagnostics for open files, so open it too.
    await openFile(SECOND_NAME);
    await openProblems();
    await filterProblems('Question without');
    const marker = (m) => /Question without/.test(m.text) && /missing-question-marker/.test(m.text);
    const before = await poll(async () => {
      const ms = (await problemMarkers()).filter(marker);
      return ms.length ? ms : null;
    });
    await shot('problems-before-setting');
    if (!before) {
      const warned = (await recordedToasts()).filter((t) => t.severity !== 'info').map((t) => `[${t.severity}] ${t.message}`);
      throw new Error(
        'precondition: no "Question without `*`" (missing-question-marker) entry in Problems before the change, ' +
          'though the workspace notes-ls.toml sets it to "info" (is notes-ls.toml applied in the editor?); ' +
          `Problems rows: ${JSON.stringify((await problemRows()).map((r) => r.text))}` +
          (warned.length ? `; notifications so far: ${JSON.stringify(warned)}` : ''),
      );
    }
    const toastsBefore = (await recordedToasts()).length;
    fs.mkdirSync(path.dirname(WS_SETTINGS), { recursive: true });
    fs.writeFileSync(WS_SETTINGS, JSON.stringify({ 'notesLs.diagnostics': { 'missing-question-marker': 'off' } }, null, 2));
    let gone = await poll(async () => (await problemMarkers()).filter(marker).length === 0, { timeout: TIMEOUT });
    if (gone) {
      // Not just an empty re-render: without the filter the other findings are still listed.
      await filterProblems('');
      gone = await poll(async () => {
        const ms = await problemMarkers();
        return ms.length > 0 && ms.filter(marker).length === 0;
      }, { timeout: 5000 });
    }
    const left = (await problemMarkers()).filter(marker);
    const newToasts = (await recordedToasts()).slice(toastsBefore).filter((t) => t.severity !== 'info');
    assert(
      gone,
      `${left.length} missing-question-marker entr${left.length === 1 ? 'y' : 'ies'} still in Problems ${TIMEOUT / 1000} s after ` +
        `writing "notesLs.diagnostics": {"missing-question-marker": "off"} to ${WS_SETTINGS}: ` +
        JSON.stringify(left.map((m) => `${m.file}: ${m.text}`)) +
        (newToasts.length ? `\nnotifications since the change: ${JSON.stringify(newToasts.map((t) => `[${t.severity}] ${t.message}`))}` : ''),
    );
    assert(
      newToasts.length === 0,
      `the hint went away, but the change raised: ${JSON.stringify(newToasts.map((t) => `[${t.severity}] ${t.message}`))}`,
    );
    const restarts = (extensionOutput().match(/^starting /gm) || []).length;
    assert(restarts <= 1, `the server was started ${restarts} times (the setting change restarted it)`);
    return `${before.length} missing-question-marker entr${before.length === 1 ? 'y' : 'ies'} before, none after`;
  });
  await filterProblems('').catch(() => {});

  // ---------------------------------------------------------------- 8. Format Document
  // On the file check 7 left active (databases.notes: CRLF, a table, arrows followed by text).
  await check('8. Format Document gives what `notes-ls fmt` gives', async () => {
    const file = path.join(WS, 'sample-notes', SECOND_NAME);
    await focusEditor();
    const before = fs.readFileSync(file, 'utf8');
    const copy = path.join(SCRATCH, 'fmt-expected.notes');
    fs.writeFileSync(copy, before);
    const fmt = spawnSync(args.server, ['fmt', copy], { encoding: 'utf8' });
    assert(fmt.status === 0, `notes-ls fmt failed: ${fmt.stderr}`);
    const expected = fs.readFileSync(copy, 'utf8');
    assert(expected !== before, 'precondition: the file as written is not in the house style');
    await runCommand('Format Document', { match: (l) => l === 'Format Document' });
    await shot('after-format-document');
    await runCommand('File: Save', { match: (l) => /^File: Save$/.test(l) || l === 'Save' });
    const after = await poll(async () => {
      const t = fs.readFileSync(file, 'utf8');
      return t !== before ? t : null;
    }, { timeout: TIMEOUT });
    assert(after === expected, `after Format Document and Save, ${SECOND_NAME} differs from \`notes-ls fmt\`: ${JSON.stringify((after || '(unchanged)').slice(0, 300))}`);
    return `${SECOND_NAME}: ${before.split('\n').length} lines before, ${after.split('\n').length} after, byte for byte what notes-ls fmt writes`;
  });

  // ---------------------------------------------------------------- 9. Rename (F2)
  await check('9. F2 renames a term the notes define, everywhere in the file', async () => {
    const file = path.join(WS, 'sample-notes', SECOND_NAME);
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    const at = lines.findIndex((l) => l.startsWith('Sharding: '));
    assert(at >= 0, `precondition: no "Sharding: ..." definition line in ${SECOND_NAME}`);
    await gotoLine(at + 1, 3);
    await page.keyboard.press('F2');
    const box = page.locator('.rename-box input, .rename-input');
    await box.first().waitFor({ state: 'visible', timeout: TIMEOUT });
    await box.first().fill('Partitioning');
    await page.keyboard.press('Enter');
    await box.first().waitFor({ state: 'hidden', timeout: TIMEOUT }).catch(() => {});
    await shot('after-rename');
    await runCommand('File: Save', { match: (l) => /^File: Save$/.test(l) || l === 'Save' });
    const after = await poll(async () => {
      const t = fs.readFileSync(file, 'utf8');
      return /^Partitioning: /m.test(t) ? t : null;
    }, { timeout: TIMEOUT });
    assert(after, `after F2 "Partitioning" and Save, ${SECOND_NAME} has no "Partitioning:" line`);
    const left = after.split(/\r?\n/).filter((l) => /sharding/i.test(l));
    assert(left.length === 0, `lines still naming sharding: ${JSON.stringify(left)}`);
    assert(after.includes('*What is Partitioning?') && after.includes('Replication vs Partitioning?'),
      `the question and the other mention were not renamed: ${JSON.stringify(after.split(/\r?\n/).filter((l) => /Partitioning/.test(l)))}`);
    return `${after.split(/\r?\n/).filter((l) => /Partitioning/.test(l)).length} lines now name Partitioning`;
  });

  // ---------------------------------------------------------------- 10. a large file
  // Over 1 MiB, the server streams its pulled reports in parts (counted first): the status bar
  // must count its unanswered questions, before and after an edit, as `notes-ls check` does.
  await check('10. a 4.3 MB file: its unanswered questions counted, and again after an edit', async () => {
    const count = async () => {
      const t = await statusText();
      return t ? Number((/(\d+) unanswered/.exec(t) || [])[1]) : NaN;
    };
    const before = await count();
    const { unanswered } = LARGE;
    let t0 = Date.now();
    await openFile('large.notes');
    const opened = await poll(async () => (await count()) === before + unanswered, { timeout: 60000 });
    const openMs = Date.now() - t0;
    assert(opened, `the status bar says ${await statusText()}, want ${before + unanswered} unanswered (${before} before)`);
    await focusEditor();
    await page.keyboard.press('Control+End');
    t0 = Date.now();
    await page.keyboard.press('Enter');
    await page.keyboard.type('*One more 😀?');
    const edited = await poll(async () => (await count()) === before + unanswered + 1, { timeout: 60000 });
    assert(edited, `after appending a question the status bar says ${await statusText()}`);
    await shot('large-file');
    return `${unanswered} unanswered in large.notes; status after open ${openMs} ms, after the edit ${Date.now() - t0} ms`;
  });

  log(`browser console errors: ${consoleErrors.length}`);
  fs.writeFileSync(path.join(ARTIFACTS, 'browser-console-errors.txt'), consoleErrors.join('\n'));
  await context.close();
  context = undefined;
}

/** Top-level question names from `notes-ls outline --format json` (shape-tolerant). */
function extractQuestionNames(json) {
  const list = Array.isArray(json) ? json : json && (json.questions || json.items || json.outline || json.symbols || json.children);
  if (!Array.isArray(list)) return [];
  return list.map((q) => q.name || q.text || q.question || q.label).filter((s) => typeof s === 'string');
}

function findFiles(dir, re, out = []) {
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findFiles(p, re, out);
    else if (re.test(e.name)) out.push(p);
  }
  return out;
}

/** The extension's "notes-ls" Output channel, as code-server writes it to its log folder. */
function extensionOutput() {
  return findFiles(path.join(USER_DATA, 'logs'), /notes-ls\.log$/)
    .filter((f) => !/Trace/.test(f))
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');
}

function saveLogs() {
  for (const f of findFiles(path.join(USER_DATA, 'logs'), /\.log$/)) {
    const rel = path.relative(path.join(USER_DATA, 'logs'), f).replace(/[\\/]/g, '__');
    fs.copyFileSync(f, path.join(ARTIFACTS, `log-${rel}`));
  }
  if (fs.existsSync(CS_LOG)) fs.copyFileSync(CS_LOG, path.join(ARTIFACTS, 'code-server.log'));
}

let crashed = null;
try {
  await main();
} catch (e) {
  crashed = e;
  record('test harness', false, e && e.stack ? e.stack : String(e));
  if (page) await shot('harness-error');
} finally {
  if (context) await context.close().catch(() => {});
  stopCodeServer();
  saveLogs();
}

const failed = results.filter((r) => !r.ok).length;
const passed = results.length - failed;
if (failed) {
  console.log('\n---- code-server log ----');
  console.log(fs.existsSync(CS_LOG) ? fs.readFileSync(CS_LOG, 'utf8').split('\n').slice(-80).join('\n') : '(none)');
  console.log('---- extension output (notes-ls channel) ----');
  console.log(extensionOutput().split('\n').slice(-80).join('\n') || '(not found under the user data logs)');
  const exthost = findFiles(path.join(USER_DATA, 'logs'), /^exthost\.log$/);
  if (exthost.length) {
    console.log('---- extension host log (tail) ----');
    console.log(fs.readFileSync(exthost[0], 'utf8').split('\n').slice(-40).join('\n'));
  }
}
if (process.env.NOTES_LS_E2E_KEEP === '1') console.log(`scratch dir kept: ${SCRATCH}`);
else fs.rmSync(SCRATCH, { recursive: true, force: true });
console.log(`screenshots and logs: ${ARTIFACTS}`);
console.log(`vscode e2e: ${passed} passed, ${failed} failed (${((Date.now() - T0) / 1000).toFixed(1)} s)`);
process.exit(failed || crashed ? 1 : 0);
