#!/usr/bin/env node
// Edit-to-diagnostics latency and memory of VS Code's Markdown language
// server (npm `vscode-markdown-languageserver`) on a notes file converted to
// Markdown: the same content notes-ls is measured on. See README.md.
//
//   node benches/markdown-server/run.mjs --notes FILE [--edits N] [--json OUT]
//   node benches/markdown-server/run.mjs --generate N [--seed S] [--edits N] [--json OUT]
//   node benches/markdown-server/run.mjs --generate N --write-notes FILE   (corpus only)

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

import MarkdownIt from 'markdown-it';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) process.stderr.write(`run.mjs: ${msg}\n`);
  process.stderr.write(
    'usage: node run.mjs (--notes FILE | --generate N [--seed S]) [--edits N] [--json OUT]\n' +
      '                    [--edit-timeout SECONDS] [--keep] [--verbose] [--write-notes FILE]\n',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const o = { edits: 30, seed: 42, editTimeout: 60, firstTimeout: 300, keep: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    const int = (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) usage(`${a}: not a non-negative integer: ${v}`);
      return n;
    };
    switch (a) {
      case '--notes': o.notes = val(); break;
      case '--generate': o.generate = int(val()); break;
      case '--seed': o.seed = int(val()); break;
      case '--edits': o.edits = int(val()); break;
      case '--json': o.json = val(); break;
      case '--edit-timeout': o.editTimeout = Number(val()); break;
      case '--first-timeout': o.firstTimeout = Number(val()); break;
      case '--write-notes': o.writeNotes = val(); break;
      case '--keep': o.keep = true; break;
      case '--verbose': o.verbose = true; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  if ((o.notes === undefined) === (o.generate === undefined)) usage('give exactly one of --notes FILE or --generate N');
  return o;
}

// ------------------------------------------------------ corpus (generator)
// A port of benches/corpus/mod.rs (SplitMix64, same templates and the same
// order of random draws), so `--generate N --seed S` is meant to give the
// same text as `corpus::notes(N, S)` in the Rust benches.

const MASK = (1n << 64n) - 1n;

class Rng {
  constructor(seed) { this.s = BigInt(seed) & MASK; }
  nextU64() {
    this.s = (this.s + 0x9e3779b97f4a7c15n) & MASK;
    let z = this.s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  }
  below(n) { return Number(this.nextU64() % BigInt(n)); }
  chance(perMille) { return this.below(1000) < perMille; }
  pick(items) { return items[this.below(items.length)]; }
}

const TEMPLATES = [
  'What is {s} used for in {c}', 'How does {s} work in {c}', 'Why use {s} in {c}',
  'When would you avoid {s} in {c}', 'How do you debug {s} in {c}', 'How do you test {s} in {c}',
  'What can go wrong with {s} in {c}', 'How do you scale {s} in {c}', 'How do you secure {s} in {c}',
  'How do you monitor {s} in {c}', 'What are the trade-offs of {s} in {c}', 'Explain {s} for {c}',
  'How would you explain {s} to a junior on {c}', 'What replaced {s} in {c}',
  'How do you configure {s} for {c}', 'Which metrics matter for {s} in {c}',
  'How does {s} fail under load in {c}', 'What are the defaults of {s} in {c}',
  'How do you migrate {s} in {c}', 'What is a common mistake with {s} in {c}',
];
const SUBJECTS = [
  'Gunicorn', 'Uvicorn', 'WSGI', 'ASGI', 'JWT', 'refresh token', 'access token', 'N+1 query', 'CSRF',
  'CSRF token', 'XSS', 'SQL injection', 'CORS', 'OAuth 2.0', 'PKCE', 'Nginx', 'Redis', 'Celery',
  'PostgreSQL', 'database index', 'connection pool', 'transaction isolation', 'optimistic locking',
  'sharding', 'replication', 'Django', 'FastAPI', 'Flask', 'Pydantic', 'middleware', 'webhook',
  'WebSocket', 'idempotency', 'rate limiting', 'the GIL', 'asyncio', 'Docker', 'Kubernetes',
  'a load balancer', 'a message queue', 'HTTP/2', 'TLS', 'ETag', 'Cache-Control', 'session cookies',
  'RBAC', 'an API key', 'a CDN', 'blue-green deploys', 'feature flags',
];
const CONTEXTS = [
  'Django', 'FastAPI', 'Flask', 'a monolith', 'microservices', 'a REST API', 'GraphQL', 'a mobile app',
  'payments', 'a shop', 'a chat app', 'ETL', 'SaaS', 'an MVP', 'legacy code', 'high traffic',
  'serverless', 'a CLI', 'a public API', 'a batch job', 'tests', 'CI', 'production', 'staging',
  'an interview',
];
const ENDINGS = ['', ' now', ' at scale', ' in 2024'];
const GRID = TEMPLATES.length * SUBJECTS.length * CONTEXTS.length * ENDINGS.length;
const SENTENCES = [
  'Keeps the workers busy.', 'Gunicorn restarts dead workers.', 'Uvicorn runs the event loop.',
  'A JWT is signed, not encrypted.', 'Rotate the refresh token on use.', 'N+1 query: use select_related.',
  'CSRF needs cookie sessions.', 'Measure p95 latency first.', 'Keep transactions short.',
  'Idempotency keys make retries safe.', 'The GIL limits CPU-bound threads.',
  'Cache with ETag; invalidate on write.', 'Rate limit per API key.', 'Index the foreign key.',
  'Celery reads tasks from Redis.', 'Switch traffic after health checks.', 'Use RBAC roles.',
  'WebSocket needs sticky sessions.', 'OAuth 2.0 with PKCE for SPAs.', 'TLS ends at the load balancer.',
];
const MULTIBYTE = [
  '🚀 fast path', '✅ done', '日本語のメモ：キャッシュ', '缓存失效策略', 'naïve café résumé',
  'λ-calcul et fonctions', 'Straße über Größe', '캐시 무효화', '👩‍💻 pair review', 'مثال بسيط',
];
const MISSPELLED = ['gunicon', 'uvicon', 'refesh token', 'N+1 querry', 'Djnago', 'Postgress', 'Kubernets', 'websoket'];
const DEFINITIONS = [
  ['Header', 'the signing algorithm and token type'],
  ['Payload', 'the claims, base64url encoded'],
  ['Signature', 'HMAC or RSA over header and payload'],
  ['Gunicorn', 'a pre-fork WSGI server'],
  ['Uvicorn', 'an ASGI server on uvloop'],
  ['ORM', 'maps rows to objects'],
  ['C++', 'a language, not a framework'],
  ['Access token', 'short-lived, sent on every request'],
  ['Refresh token', 'long-lived, used only to get new access tokens'],
  ['Read replica', 'serves reads, lags behind the primary'],
];

function generateNotes(questions, seed) {
  const rng = new Rng(seed);
  const out = [];
  const asked = [];
  let nextQuestion = Number((BigInt(seed) * 7919n) & MASK) % GRID;
  const line = (s) => { out.push(s, '\n'); };
  const question = () => {
    let i = (nextQuestion * 7919) % GRID;
    nextQuestion = (nextQuestion + 1) % GRID;
    const t = TEMPLATES[i % TEMPLATES.length]; i = Math.floor(i / TEMPLATES.length);
    const s = SUBJECTS[i % SUBJECTS.length]; i = Math.floor(i / SUBJECTS.length);
    const c = CONTEXTS[i % CONTEXTS.length]; i = Math.floor(i / CONTEXTS.length);
    const e = ENDINGS[i % ENDINGS.length];
    let q = t.replace('{s}', s).replace('{c}', c) + e;
    if (rng.chance(100)) q += ' ' + rng.pick(MULTIBYTE);
    q += '?';
    if (asked.length < 4096) asked.push(q);
    return q;
  };
  const sentence = () => {
    let s = rng.pick(SENTENCES);
    if (rng.chance(100)) s += ' ' + rng.pick(MULTIBYTE);
    if (rng.chance(40)) s += ' See ' + rng.pick(MISSPELLED) + '.';
    return s;
  };
  const answerLines = (n) => { for (let k = 0; k < n; k++) line(sentence()); };
  const trimQ = (q) => q.replace(/\?+$/, '');

  out.push('Interview notes, generated for benchmarks.\n\n');
  for (let n = 0; n < questions; n++) {
    const roll = rng.below(1000);
    const q = question();
    if (roll <= 299) {
      line(`*${q}`); line('->'); answerLines(1 + (rng.chance(250) ? 1 : 0));
    } else if (roll <= 379) {
      const a = sentence(); line(`*${q} -> ${a}`);
    } else if (roll <= 439) {
      line(`*${q}->`); answerLines(1);
    } else if (roll <= 489) {
      line(`*${q}`); const a = sentence(); line(`->${a}`);
    } else if (roll <= 569) {
      line(`*${q}`); const a = sentence(); line(`-> ${a}`);
      if (rng.chance(200)) answerLines(1);
    } else if (roll <= 649) {
      line(`*${q} (3 parts)`);
      let [t, d] = rng.pick(DEFINITIONS); line(`-> ${t}: ${d}`);
      [t, d] = rng.pick(DEFINITIONS); line(`- ${t}: ${d}`);
      [t, d] = rng.pick(DEFINITIONS); line(`**${t}**: ${d}`);
      line('Example: login at 10:30 on localhost:8080');
    } else if (roll <= 699) {
      line(`*${q}->`);
      line('| | Gunicorn | Uvicorn |'); line('|---|---|---|');
      line('| Interface | WSGI | ASGI |'); line('| Workers | pre-fork | event loop 🚀 |');
    } else if (roll <= 759) {
      line(`*${q}`); line('->'); line('* stateless'); line('**Rule**: (2 x cores) + 1'); line('*emphasis* on measuring');
    } else if (roll <= 809) {
      line(`*${q}`); line('->'); line('client -> Nginx -> Gunicorn -> Django -> PostgreSQL'); answerLines(1);
    } else if (roll <= 824) {
      line(`*${trimQ(q)}: what does a -> b mean?`); line('->'); answerLines(1);
      const a = sentence(); const q2 = question();
      line(''); line(`*${q2} (2 reasons) -> ${a}`);
    } else if (roll <= 849) {
      line(q.toLowerCase()); line('-> yes, see above');
    } else if (roll <= 864) {
      line('*Difference between'); line(q); line('->'); answerLines(1);
    } else if (roll <= 884) {
      line(`*${q}`);
    } else if (roll <= 899) {
      line(`*${q}`); line('->');
    } else if (roll <= 914) {
      line(`*${q}`); line(rng.pick(['-> TODO', '-> TBD', '-> ...', '-> TODO: explain']));
    } else if (roll <= 929) {
      line(`*${q}`); answerLines(1);
    } else if (roll <= 944) {
      const earlier = asked[rng.below(asked.length)];
      const dup = rng.chance(500) ? earlier.toUpperCase() : earlier.split(' ').join('  ');
      line(`*${dup}`); line('->'); answerLines(1);
    } else if (roll <= 949) {
      line('*'); line('-> an answer to nothing'); line('');
      line(`*${q}`); line('->'); answerLines(1); line(''); line('-> second thoughts, with no question');
    } else if (roll <= 964) {
      line(`*${q}`); line('->'); answerLines(1); line('');
      const q2 = question(); line(q2);
    } else if (roll <= 984) {
      line(`*${q}`); line('->');
      line('    gunicorn app.main:app -k uvicorn.workers.UvicornWorker -w 4');
      const m = rng.pick(MULTIBYTE); line(`Notes: ${m}, ${m}`);
    } else {
      line(`*${trimQ(q)}？->`); line('二つの違いは？ Both work; measure.');
    }
    out.push('\n');
  }
  return out.join('');
}

// ------------------------------------------------- notes -> Markdown
// Every question becomes `## question`, its answer the text under it (the
// `->` dropped). An approximation of docs/format.md, good enough to give the
// Markdown server the same amount and shape of content: see README.md.

const ARROW_LINE = /^\s*->/;
const isBlank = (l) => l.trim() === '';

/** A `*` in column 0 that is a question marker, not a bullet/bold/emphasis. */
function isStarredQuestion(l) {
  if (!l.startsWith('*') || l.length < 2) return false;
  if (/\s/.test(l[1]) || l[1] === '*') return false;
  // `*emphasis* text`: a second `*` with no space before it and no letter or digit after it.
  const m = /^\*[^*\s][^*]*?(?<!\s)\*(?![\p{L}\p{N}])/u.exec(l);
  return !m;
}

/** Splits `question -> answer` on the arrow after the question mark (or the first arrow). */
function splitSameLineArrow(text) {
  const qm = text.search(/[?？]/);
  const from = qm >= 0 ? qm : 0;
  const at = text.indexOf('->', from);
  if (at < 0) return [text, null];
  return [text.slice(0, at), text.slice(at + 2)];
}

function notesToMarkdown(notes) {
  const lines = notes.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const md = [];
  let questions = 0;
  const heading = (q) => {
    questions++;
    q = q.trim().replace(/\s+/g, ' ');
    md.push(`## ${q === '' ? '(empty question)' : q}`, '');
  };
  // The answer text of an arrow line, if any, as an answer line.
  const arrowRest = (l) => l.replace(/^\s*->\s?/, '');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const startsParagraph = i === 0 || isBlank(lines[i - 1]);
    const nextIsArrow = i + 1 < lines.length && ARROW_LINE.test(lines[i + 1]);
    if (isStarredQuestion(l) || (l === '*' && nextIsArrow)) {
      let [q, rest] = splitSameLineArrow(l.slice(1));
      if (rest === null) {
        // Question continuation lines up to an arrow, if an arrow comes before a blank line.
        let j = i + 1;
        while (j < lines.length && !isBlank(lines[j]) && !ARROW_LINE.test(lines[j]) && !isStarredQuestion(lines[j])) j++;
        if (j < lines.length && ARROW_LINE.test(lines[j]) && j > i + 1) {
          q += ' ' + lines.slice(i + 1, j).join(' ');
          i = j - 1;
        }
        heading(q);
      } else {
        heading(q);
        if (rest.trim() !== '') md.push(rest.trim());
      }
      continue;
    }
    if (!isBlank(l) && !ARROW_LINE.test(l) && nextIsArrow && (startsParagraph || /[?？]\s*$/.test(l))) {
      heading(l); // an unmarked question
      continue;
    }
    if (ARROW_LINE.test(l)) {
      const rest = arrowRest(l);
      if (rest.trim() !== '') md.push(rest);
      continue;
    }
    if (startsParagraph && !isBlank(l) && /[?？]\s*$/.test(l) && (i + 1 >= lines.length || isBlank(lines[i + 1]))) {
      heading(l); // an unanswered question in its own paragraph
      continue;
    }
    md.push(l);
  }
  // Collapse runs of blank lines; end with one newline.
  const text = md.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\s*$/, '\n');
  return { text, questions };
}

// --------------------------------------------------------------- helpers

function fail(msg) {
  const err = new Error(msg);
  err.benchFailure = true;
  throw err;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no answer within ${ms / 1000} s`), { benchFailure: true })), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  // Nearest rank.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function median(sorted) {
  if (sorted.length === 0) return null;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

const round = (x, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

/** VmHWM and VmRSS of a process, in kB (null once it is gone). */
function memOf(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number((new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s) || [])[1] || 0);
    return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
  } catch {
    return null;
  }
}

/** User + system CPU seconds a process has used so far (null once it is gone). */
function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 (utime, stime) in clock ticks; 100 per second on Linux.
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

/** The LSP position (UTF-16 columns, as JS strings index) of offset `at`. */
function positionAt(text, at) {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: at - start };
}

/** The end of an answer line under a heading near the middle of the text. */
function middleEditPoint(text) {
  let from = text.length >> 1;
  for (;;) {
    const h = text.indexOf('\n## ', from);
    if (h < 0) {
      if (from === 0) fail('no answered question to edit in the Markdown text');
      from = 0;
      continue;
    }
    const headEnd = text.indexOf('\n', h + 1);
    // Skip the blank line after the heading; the answer line follows.
    const lineStart = headEnd + 2;
    const lineEnd = text.indexOf('\n', lineStart);
    const answer = lineEnd < 0 ? '' : text.slice(lineStart, lineEnd);
    if (text[headEnd + 1] === '\n' && /^[A-Za-z]/.test(answer) && !answer.startsWith('#')) return lineEnd;
    from = h + 1;
  }
}

// ----------------------------------------------------------- the client

/**
 * markdown-it set up as VS Code's MarkdownItEngine sets it up for
 * `markdown/parse` (extensions/markdown-language-features/src/markdownEngine.ts):
 * html on, fuzzy links off, the preview's default breaks/linkify/typographer,
 * and its source-map core rule that adds `data-line`, `class` and `dir`
 * attributes to every block token (so the tokens sent back are as large as
 * VS Code's). Not emulated: highlight.js (used only when rendering),
 * markdown-it plugins of other extensions, and the front-matter rule (the
 * converted notes have no front matter).
 */
function makeMarkdownIt() {
  const md = MarkdownIt({ html: true });
  md.linkify.set({ fuzzyLink: false });
  md.core.ruler.push('source_map_data_attribute', (state) => {
    for (const token of state.tokens) {
      if (token.map && token.type !== 'inline') {
        token.attrSet('data-line', String(token.map[0]));
        token.attrJoin('class', 'code-line');
        token.attrJoin('dir', 'auto');
      }
    }
  });
  md.set({ breaks: false, linkify: true, typographer: false });
  return md;
}

const MARKDOWN_EXTENSIONS = ['md', 'mkd', 'mdwn', 'mdown', 'markdown', 'markdn', 'mdtxt', 'mdtext', 'workbook'];

/** The `markdown` settings section as VS Code sends it (defaults, validation on). */
const MARKDOWN_SETTINGS = {
  markdown: {
    preview: { breaks: false, linkify: true, typographer: false },
    suggest: { paths: { enabled: true, includeWorkspaceHeaderCompletions: 'onDoubleHash' } },
    server: { log: 'off' },
    trace: { server: 'off' },
    occurrencesHighlight: { enabled: false },
    preferredMdPathExtensionStyle: 'auto',
    updateLinksOnFileMove: { enabled: 'never', enableForDirectories: true },
    validate: {
      enabled: true,
      referenceLinks: { enabled: 'warning' },
      fragmentLinks: { enabled: 'warning' },
      fileLinks: { enabled: 'warning', markdownFragmentLinks: 'inherit' },
      ignoredLinks: [],
      unusedLinkDefinitions: { enabled: 'hint' },
      duplicateLinkDefinitions: { enabled: 'warning' },
    },
  },
};

function settingsSection(section) {
  if (!section) return MARKDOWN_SETTINGS;
  let v = MARKDOWN_SETTINGS;
  for (const k of section.split('.')) {
    if (v === null || typeof v !== 'object' || !(k in v)) return null;
    v = v[k];
  }
  return v;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));

  let notesText;
  let notesSource;
  if (opts.generate !== undefined) {
    notesText = generateNotes(opts.generate, opts.seed);
    notesSource = `generated: ${opts.generate} questions, seed ${opts.seed}`;
    if (opts.writeNotes) {
      writeFileSync(opts.writeNotes, notesText);
      process.stderr.write(`wrote ${opts.writeNotes} (${Buffer.byteLength(notesText)} bytes)\n`);
      return;
    }
  } else {
    try {
      notesText = readFileSync(opts.notes, 'utf8');
    } catch (e) {
      fail(`cannot read --notes ${opts.notes}: ${e.message}`);
    }
    notesSource = opts.notes;
  }
  const notesBytes = Buffer.byteLength(notesText);
  const { text: mdText0, questions } = notesToMarkdown(notesText);

  const dir = mkdtempSync(join(tmpdir(), 'md-ls-bench-'));
  const mdPath = join(dir, 'notes.md');
  writeFileSync(mdPath, mdText0);
  const dirUri = pathToFileURL(dir).href;
  const docUri = pathToFileURL(mdPath).href;
  const log = (s) => { if (opts.verbose) process.stderr.write(`${s}\n`); };
  log(`notes: ${notesSource}, ${questions} questions, ${notesBytes} bytes -> ${mdPath} (${Buffer.byteLength(mdText0)} bytes)`);

  const serverPkg = require('vscode-markdown-languageserver/package.json');
  const serverMain = require.resolve('vscode-markdown-languageserver');
  const md = makeMarkdownIt();

  const child = spawn(process.execPath, [serverMain, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: dir,
  });
  let stderrTail = '';
  child.stderr.on('data', (d) => {
    stderrTail = (stderrTail + d.toString()).slice(-4000);
    if (opts.verbose) process.stderr.write(`[server stderr] ${d}`);
  });
  let exited = null;
  let shuttingDown = false;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    resolve(exited);
  }));
  const serverDied = exitPromise.then((e) => {
    if (!shuttingDown) fail(`the server exited early (code ${e.code}, signal ${e.signal})${stderrTail ? `; stderr:\n${stderrTail}` : ''}`);
  });
  serverDied.catch(() => {}); // seen through the races below

  // Memory: poll VmHWM (the kernel's own peak RSS) while the server runs.
  let peakKb = 0;
  const poll = setInterval(() => {
    const m = memOf(child.pid);
    if (m) peakKb = Math.max(peakKb, m.hwm, m.rss);
  }, 50);

  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));

  // The text of the open document, as the editor has it.
  let docText = mdText0;
  let version = 1;
  let parseRequests = 0;
  let parseCacheHits = 0;
  let parseMs = 0;
  let refreshRequests = 0;
  const otherRequests = new Map();
  const countRequest = (m) => otherRequests.set(m, (otherRequests.get(m) || 0) + 1);

  const readDoc = (uri) => {
    if (uri === docUri) return docText;
    return readFileSync(fileURLToPath(uri), 'utf8');
  };
  // VS Code's MarkdownItEngine keeps the tokens of the last document version
  // it parsed (TokenCache) and answers repeated requests from it.
  let tokenCache = null;
  conn.onRequest('markdown/parse', ({ uri, text }) => {
    parseRequests++;
    if (text === undefined && tokenCache && tokenCache.uri === uri && tokenCache.version === (uri === docUri ? version : -1)) {
      parseCacheHits++;
      return tokenCache.tokens;
    }
    const t0 = performance.now();
    const tokens = md.parse(text ?? readDoc(uri), {});
    parseMs += performance.now() - t0;
    if (text === undefined && uri === docUri) tokenCache = { uri, version, tokens };
    return tokens;
  });
  conn.onRequest('markdown/fs/readFile', ({ uri }) => {
    countRequest('markdown/fs/readFile');
    return Array.from(readFileSync(fileURLToPath(uri)));
  });
  conn.onRequest('markdown/fs/stat', ({ uri }) => {
    countRequest('markdown/fs/stat');
    try {
      return { isDirectory: statSync(fileURLToPath(uri)).isDirectory() };
    } catch {
      return undefined;
    }
  });
  conn.onRequest('markdown/fs/readDirectory', ({ uri }) => {
    countRequest('markdown/fs/readDirectory');
    return readdirSync(fileURLToPath(uri), { withFileTypes: true }).map((e) => [e.name, { isDirectory: e.isDirectory() }]);
  });
  conn.onRequest('markdown/findMarkdownFilesInWorkspace', () => {
    countRequest('markdown/findMarkdownFilesInWorkspace');
    const exts = new Set(MARKDOWN_EXTENSIONS);
    return readdirSync(dir)
      .filter((n) => exts.has(n.split('.').pop()))
      .map((n) => pathToFileURL(join(dir, n)).href);
  });
  // The folder never changes during the run: watchers are accepted and never fire.
  conn.onRequest('markdown/fs/watcher/create', () => { countRequest('markdown/fs/watcher/create'); return null; });
  conn.onRequest('markdown/fs/watcher/delete', () => { countRequest('markdown/fs/watcher/delete'); return null; });
  conn.onRequest('workspace/configuration', ({ items }) => {
    countRequest('workspace/configuration');
    return items.map((it) => settingsSection(it.section));
  });
  conn.onRequest('client/registerCapability', () => { countRequest('client/registerCapability'); return null; });
  conn.onRequest('client/unregisterCapability', () => { countRequest('client/unregisterCapability'); return null; });
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('workspace/diagnostic/refresh', () => { refreshRequests++; return null; });
  conn.onRequest((method) => {
    countRequest(method);
    log(`unhandled server request ${method}`);
    return null;
  });
  conn.onNotification('window/logMessage', ({ message }) => log(`[server] ${message}`));
  conn.onNotification(() => {});
  conn.onError(([err]) => log(`connection error: ${err?.message ?? err}`));
  conn.listen();

  const race = (p, ms, what) => Promise.race([withTimeout(p, ms, what), serverDied]);

  const result = {};
  try {
    // ---- initialize, as VS Code's language client does (the parts this server reads)
    const init = await race(conn.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code (emulated by benches/markdown-server/run.mjs)', version: '1.95.0' },
      locale: 'en',
      rootPath: dir,
      rootUri: dirUri,
      workspaceFolders: [{ uri: dirUri, name: 'bench' }],
      initializationOptions: { markdownFileExtensions: MARKDOWN_EXTENSIONS },
      capabilities: {
        general: { positionEncodings: ['utf-16'] },
        window: { workDoneProgress: true, showMessage: {}, showDocument: { support: true } },
        workspace: {
          applyEdit: true,
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
          diagnostics: { refreshSupport: true },
          symbol: { dynamicRegistration: true },
          fileOperations: { dynamicRegistration: true, willRename: true, didRename: true },
        },
        textDocument: {
          synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
          diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: false, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true, dataSupport: true },
          completion: { dynamicRegistration: true, contextSupport: true, completionItem: { snippetSupport: true } },
          documentSymbol: { dynamicRegistration: true, hierarchicalDocumentSymbolSupport: true },
          documentLink: { dynamicRegistration: true, tooltipSupport: true },
          foldingRange: { dynamicRegistration: true },
          hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
          codeAction: { dynamicRegistration: true, resolveSupport: { properties: ['edit'] } },
          rename: { dynamicRegistration: true, prepareSupport: true },
          documentHighlight: { dynamicRegistration: true },
        },
      },
      trace: 'off',
    }), 60_000, 'initialize');
    if (!init?.capabilities?.diagnosticProvider) fail('the server does not offer pull diagnostics (no diagnosticProvider)');
    conn.sendNotification('initialized', {});
    // vscode-languageclient's `synchronize.configurationSection: ['markdown']`
    // sends the section once after start, and this server reads settings only from it.
    conn.sendNotification('workspace/didChangeConfiguration', { settings: MARKDOWN_SETTINGS });

    // ---- open the file and pull its first diagnostics
    const pull = (previousResultId) => conn.sendRequest('textDocument/diagnostic', {
      textDocument: { uri: docUri },
      identifier: 'markdown',
      ...(previousResultId ? { previousResultId } : {}),
    });
    const t0 = performance.now();
    conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: docUri, languageId: 'markdown', version, text: docText },
    });
    let report = await race(pull(undefined), opts.firstTimeout * 1000, 'first textDocument/diagnostic');
    const firstMs = performance.now() - t0;
    let diagnostics = report?.items?.length ?? 0;
    let resultId = report?.resultId;
    log(`first diagnostics: ${firstMs.toFixed(1)} ms, ${diagnostics} items`);

    // ---- N one-character edits, each followed by a pull
    const at = middleEditPoint(docText);
    const pos = positionAt(docText, at);
    const times = [];
    for (let k = 0; k < opts.edits; k++) {
      const insert = k % 2 === 0;
      version++;
      const change = insert
        ? { range: { start: pos, end: pos }, rangeLength: 0, text: 'x' }
        : { range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, rangeLength: 1, text: '' };
      docText = insert ? docText.slice(0, at) + 'x' + docText.slice(at) : docText.slice(0, at) + docText.slice(at + 1);
      const t = performance.now();
      conn.sendNotification('textDocument/didChange', {
        textDocument: { uri: docUri, version },
        contentChanges: [change],
      });
      report = await race(pull(resultId), opts.editTimeout * 1000, `textDocument/diagnostic after edit ${k + 1} (version ${version})`);
      const ms = performance.now() - t;
      times.push(ms);
      if (report?.kind === 'full') diagnostics = report.items.length;
      resultId = report?.resultId ?? resultId;
      log(`edit ${k + 1}/${opts.edits}: ${ms.toFixed(1)} ms`);
    }

    const serverCpu = cpuSecondsOf(child.pid);
    const clientCpu = process.cpuUsage();
    const endMem = memOf(child.pid);
    if (endMem) peakKb = Math.max(peakKb, endMem.hwm, endMem.rss);
    const sorted = [...times].sort((a, b) => a - b);
    Object.assign(result, {
      server: 'vscode-markdown-languageserver',
      version: serverPkg.version,
      questions,
      bytes: notesBytes,
      first_ms: round(firstMs),
      edit_median_ms: round(median(sorted)),
      edit_p95_ms: round(percentile(sorted, 95)),
      peak_rss_mb: round(peakKb / 1024),
      diagnostics,
      // Context for the figures above.
      edits: times.length,
      edit_max_ms: round(sorted.length ? sorted[sorted.length - 1] : null),
      markdown_bytes: Buffer.byteLength(mdText0),
      end_rss_mb: endMem ? round(endMem.rss / 1024) : null,
      markdown_parse_requests: parseRequests,
      markdown_parse_cache_hits: parseCacheHits,
      markdown_parse_client_ms: round(parseMs),
      diagnostic_refresh_requests: refreshRequests,
      server_cpu_s: serverCpu === null ? null : round(serverCpu, 2),
      client_cpu_s: round((clientCpu.user + clientCpu.system) / 1e6, 2),
      load_avg_1m: round(loadavg()[0], 2),
      other_server_requests: Object.fromEntries(otherRequests),
      node: process.version,
      markdown_it: require('markdown-it/package.json').version,
      notes: notesSource,
    });
  } finally {
    shuttingDown = true;
    clearInterval(poll);
    if (exited === null) {
      try {
        await withTimeout(conn.sendRequest('shutdown'), 5000, 'shutdown');
        conn.sendNotification('exit');
      } catch {
        // fall through to the kill below
      }
      await Promise.race([exitPromise, new Promise((r) => setTimeout(r, 3000))]);
      if (exited === null) child.kill('SIGKILL');
    }
    conn.dispose();
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }

  const json = JSON.stringify(result);
  process.stdout.write(json + '\n');
  if (opts.json) writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`run.mjs: ${e.benchFailure ? '' : 'error: '}${e.message ?? e}\n`);
    if (!e.benchFailure && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  },
);
