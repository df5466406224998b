//! A deterministic corpus of notes for benchmarks: one file of N questions, or
//! a folder of M files, with every quirk of the format in realistic
//! proportions.
//!
//! Nothing shipped needs this, so it is not part of the library. The criterion
//! benches (`benches/analysis.rs`), the end-to-end latency bench
//! (`examples/lsp_latency.rs`) and its test (`tests/corpus.rs`) include this
//! file with `#[path]`: the simplest way to share a module between those
//! targets without a cargo feature or a helper crate.
//!
//! The same seed always gives the same bytes (a small SplitMix64 generator,
//! no dependency). Questions are drawn from a large grid of templates and
//! subjects through a bijection, so they repeat only where a duplicate is
//! meant. About one entry in eight carries a deliberate problem (unanswered,
//! no marker, no arrow, placeholder, duplicate, empty question, misspelled
//! term), and one in ten has emoji, CJK or accented text. An entry averages
//! about 110 bytes, so 20,000 questions are about 2.3 MB.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// SplitMix64: tiny, fast and good enough to make varied text.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < per_mille as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub questions: usize,
    pub seed: u64,
    /// Write `\r\n` line breaks.
    pub crlf: bool,
    /// Start with a byte-order mark.
    pub bom: bool,
    /// A third of the entries (on top of the usual share) get a finding:
    /// unanswered, a duplicate, or an answer without an arrow.
    pub findings: bool,
    /// Number the questions from here in the whole grid (a file of a
    /// workspace), instead of from a stretch picked by the seed; one entry
    /// in a hundred then asks one of a few [`POPULAR`] questions, the
    /// questions people ask again in file after file.
    pub start: Option<usize>,
}

impl Options {
    pub fn new(questions: usize, seed: u64) -> Self {
        Options {
            questions,
            seed,
            crlf: false,
            bom: false,
            findings: false,
            start: None,
        }
    }
}

/// A file of `questions` questions, `\n` line breaks.
pub fn notes(questions: usize, seed: u64) -> String {
    generate(&Options::new(questions, seed))
}

pub fn generate(opts: &Options) -> String {
    let mut g = Generator {
        rng: Rng::new(opts.seed),
        out: String::with_capacity(opts.questions * 110),
        asked: Vec::new(),
        // Each file takes its questions from its own stretch of the grid.
        next_question: opts
            .start
            .unwrap_or((opts.seed as usize).wrapping_mul(7_919) % GRID),
        popular: opts.start.is_some(),
    };
    if opts.bom {
        g.out.push('\u{feff}');
    }
    g.out
        .push_str("Interview notes, generated for benchmarks.\n\n");
    for _ in 0..opts.questions {
        if opts.findings && g.rng.chance(333) {
            g.entry_with_finding();
        } else {
            g.entry();
        }
    }
    if opts.crlf {
        g.out.replace('\n', "\r\n")
    } else {
        g.out
    }
}

/// What [`write_workspace`] wrote.
#[derive(Debug, Clone, Default)]
pub struct WorkspaceStats {
    pub files: usize,
    pub bytes: usize,
    pub questions: usize,
}

/// How the files of a workspace share questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// Each file asks its own questions (the grid has room for 1.6 million),
    /// but for the duplicates a file means to have and one entry in a
    /// hundred asking a [`POPULAR`] question, as notes kept day after day do.
    Distinct,
    /// Each file takes a stretch of the first 100,000 questions picked by its
    /// seed, so with 5,000 files of 100 almost every question is asked in
    /// about five files: a stress case for cross-file duplicates.
    Overlapping,
}

/// Writes `files` notes files of `questions_per_file` questions each under
/// `dir`, in topic folders: every 5th file uses CRLF, every 11th starts with a
/// byte-order mark, every 10th is a `.txt` file that is recognised by content.
pub fn write_workspace(
    dir: &Path,
    files: usize,
    questions_per_file: usize,
    seed: u64,
    spread: Spread,
) -> std::io::Result<WorkspaceStats> {
    let mut stats = WorkspaceStats::default();
    for i in 0..files {
        let folder = dir.join(FOLDERS[i % FOLDERS.len()]);
        std::fs::create_dir_all(&folder)?;
        let opts = Options {
            questions: questions_per_file,
            seed: seed.wrapping_add(i as u64 * 1_000_003),
            crlf: i % 5 == 4,
            bom: i % 11 == 10,
            findings: false,
            start: (spread == Spread::Distinct).then_some(i * questions_per_file),
        };
        let text = generate(&opts);
        let ext = if i % 10 == 9 { "txt" } else { "notes" };
        let path: PathBuf = folder.join(format!("notes-{i:05}.{ext}"));
        std::fs::write(&path, &text)?;
        stats.files += 1;
        stats.bytes += text.len();
        stats.questions += questions_per_file;
    }
    Ok(stats)
}

const FOLDERS: &[&str] = &[
    "backend",
    "databases",
    "security",
    "deployment",
    "python",
    "architecture",
    "frontend/http",
    "archive/2023",
];

/// Size of the question grid: templates × subjects × contexts × endings.
const GRID: usize = TEMPLATES.len() * SUBJECTS.len() * CONTEXTS.len() * ENDINGS.len();

const TEMPLATES: &[&str] = &[
    "What is {s} used for in {c}",
    "How does {s} work in {c}",
    "Why use {s} in {c}",
    "When would you avoid {s} in {c}",
    "How do you debug {s} in {c}",
    "How do you test {s} in {c}",
    "What can go wrong with {s} in {c}",
    "How do you scale {s} in {c}",
    "How do you secure {s} in {c}",
    "How do you monitor {s} in {c}",
    "What are the trade-offs of {s} in {c}",
    "Explain {s} for {c}",
    "How would you explain {s} to a junior on {c}",
    "What replaced {s} in {c}",
    "How do you configure {s} for {c}",
    "Which metrics matter for {s} in {c}",
    "How does {s} fail under load in {c}",
    "What are the defaults of {s} in {c}",
    "How do you migrate {s} in {c}",
    "What is a common mistake with {s} in {c}",
];

/// Glossary terms (so hover and completion find them) and a few others.
const SUBJECTS: &[&str] = &[
    "Gunicorn",
    "Uvicorn",
    "WSGI",
    "ASGI",
    "JWT",
    "refresh token",
    "access token",
    "N+1 query",
    "CSRF",
    "CSRF token",
    "XSS",
    "SQL injection",
    "CORS",
    "OAuth 2.0",
    "PKCE",
    "Nginx",
    "Redis",
    "Celery",
    "PostgreSQL",
    "database index",
    "connection pool",
    "transaction isolation",
    "optimistic locking",
    "sharding",
    "replication",
    "Django",
    "FastAPI",
    "Flask",
    "Pydantic",
    "middleware",
    "webhook",
    "WebSocket",
    "idempotency",
    "rate limiting",
    "the GIL",
    "asyncio",
    "Docker",
    "Kubernetes",
    "a load balancer",
    "a message queue",
    "HTTP/2",
    "TLS",
    "ETag",
    "Cache-Control",
    "session cookies",
    "RBAC",
    "an API key",
    "a CDN",
    "blue-green deploys",
    "feature flags",
];

const CONTEXTS: &[&str] = &[
    "Django",
    "FastAPI",
    "Flask",
    "a monolith",
    "microservices",
    "a REST API",
    "GraphQL",
    "a mobile app",
    "payments",
    "a shop",
    "a chat app",
    "ETL",
    "SaaS",
    "an MVP",
    "legacy code",
    "high traffic",
    "serverless",
    "a CLI",
    "a public API",
    "a batch job",
    "tests",
    "CI",
    "production",
    "staging",
    "an interview",
];

const ENDINGS: &[&str] = &["", " now", " at scale", " in 2024"];

/// A fifth dimension of the grid, for workspaces: the n-th pass over the
/// first 100,000 questions asks them at another level.
const LEVELS: &[&str] = &[
    "",
    " for a senior role",
    " for a junior role",
    " in a startup",
    " in a bank",
    " on call",
    " in a design review",
    " in a take-home",
    " for a staff role",
    " in a code review",
    " on a small team",
    " on a large team",
    " in a migration",
    " in an outage",
    " in a greenfield project",
    " in a legacy system",
];

/// Questions asked in many files of a workspace (duplicates across files).
pub const POPULAR: &[&str] = &[
    "What is CSRF?",
    "What is a webhook?",
    "Difference between gunicorn and uvicorn?",
    "What does DEBUG = True mean in production?",
    "How does a B-tree index work?",
    "What is the CAP theorem?",
    "What is idempotency?",
    "How does TLS work?",
    "What is a race condition?",
    "What is eventual consistency?",
];

const SENTENCES: &[&str] = &[
    "Keeps the workers busy.",
    "Gunicorn restarts dead workers.",
    "Uvicorn runs the event loop.",
    "A JWT is signed, not encrypted.",
    "Rotate the refresh token on use.",
    "N+1 query: use select_related.",
    "CSRF needs cookie sessions.",
    "Measure p95 latency first.",
    "Keep transactions short.",
    "Idempotency keys make retries safe.",
    "The GIL limits CPU-bound threads.",
    "Cache with ETag; invalidate on write.",
    "Rate limit per API key.",
    "Index the foreign key.",
    "Celery reads tasks from Redis.",
    "Switch traffic after health checks.",
    "Use RBAC roles.",
    "WebSocket needs sticky sessions.",
    "OAuth 2.0 with PKCE for SPAs.",
    "TLS ends at the load balancer.",
];

/// Multi-byte text: emoji, CJK, accents, Greek, right-to-left.
const MULTIBYTE: &[&str] = &[
    "🚀 fast path",
    "✅ done",
    "日本語のメモ：キャッシュ",
    "缓存失效策略",
    "naïve café résumé",
    "λ-calcul et fonctions",
    "Straße über Größe",
    "캐시 무효화",
    "👩‍💻 pair review",
    "مثال بسيط",
];

/// Misspellings of glossary terms, for the spelling check.
const MISSPELLED: &[&str] = &[
    "gunicon",
    "uvicon",
    "refesh token",
    "N+1 querry",
    "Djnago",
    "Postgress",
    "Kubernets",
    "websoket",
];

const DEFINITIONS: &[(&str, &str)] = &[
    ("Header", "the signing algorithm and token type"),
    ("Payload", "the claims, base64url encoded"),
    ("Signature", "HMAC or RSA over header and payload"),
    ("Gunicorn", "a pre-fork WSGI server"),
    ("Uvicorn", "an ASGI server on uvloop"),
    ("ORM", "maps rows to objects"),
    ("C++", "a language, not a framework"),
    ("Access token", "short-lived, sent on every request"),
    (
        "Refresh token",
        "long-lived, used only to get new access tokens",
    ),
    ("Read replica", "serves reads, lags behind the primary"),
];

struct Generator {
    rng: Rng,
    out: String,
    /// Questions asked so far, for duplicates.
    asked: Vec<String>,
    next_question: usize,
    /// Ask a [`POPULAR`] question now and then.
    popular: bool,
}

impl Generator {
    fn question(&mut self) -> String {
        if self.popular && self.rng.chance(10) {
            return self.rng.pick(POPULAR).to_string();
        }
        let n = self.next_question;
        // Workspaces number their questions past the grid: each pass asks
        // them at another level. A single file stays within the grid.
        self.next_question = if self.popular { n + 1 } else { (n + 1) % GRID };
        let level = LEVELS[(n / GRID) % LEVELS.len()];
        // 7_919 is prime and does not divide GRID, so this visits every cell.
        let mut i = (n % GRID).wrapping_mul(7_919) % GRID;
        let t = TEMPLATES[i % TEMPLATES.len()];
        i /= TEMPLATES.len();
        let s = SUBJECTS[i % SUBJECTS.len()];
        i /= SUBJECTS.len();
        let c = CONTEXTS[i % CONTEXTS.len()];
        i /= CONTEXTS.len();
        let e = ENDINGS[i % ENDINGS.len()];
        let mut q = t.replace("{s}", s).replace("{c}", c);
        q.push_str(e);
        q.push_str(level);
        if self.rng.chance(100) {
            q.push(' ');
            q.push_str(self.rng.pick::<&str>(MULTIBYTE));
        }
        q.push('?');
        if self.asked.len() < 4096 {
            self.asked.push(q.clone());
        }
        q
    }

    fn sentence(&mut self) -> String {
        let mut s = self.rng.pick(SENTENCES).to_string();
        if self.rng.chance(100) {
            s.push(' ');
            s.push_str(self.rng.pick::<&str>(MULTIBYTE));
        }
        if self.rng.chance(40) {
            s.push_str(" See ");
            s.push_str(self.rng.pick::<&str>(MISSPELLED));
            s.push('.');
        }
        s
    }

    fn answer_lines(&mut self, n: usize) {
        for _ in 0..n {
            let s = self.sentence();
            self.out.push_str(&s);
            self.out.push('\n');
        }
    }

    fn line(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// An entry with a finding: unanswered (two ways), a duplicate of an
    /// earlier question, or an answer without an arrow.
    fn entry_with_finding(&mut self) {
        let q = self.question();
        match self.rng.below(4) {
            0 => self.line(&format!("*{q}")),
            1 => {
                self.line(&format!("*{q}"));
                self.line("->");
            }
            2 => {
                let earlier = self.asked[self.rng.below(self.asked.len())].clone();
                self.line(&format!("*{earlier}"));
                self.line("->");
                self.answer_lines(1);
            }
            _ => {
                self.line(&format!("*{q}"));
                self.answer_lines(1);
            }
        }
        self.line("");
    }

    /// One entry and the blank line after it.
    fn entry(&mut self) {
        let roll = self.rng.below(1000);
        let q = self.question();
        match roll {
            // `*Q?`, `->`, answer lines.
            0..=299 => {
                self.line(&format!("*{q}"));
                self.line("->");
                let n = 1 + usize::from(self.rng.chance(250));
                self.answer_lines(n);
            }
            // `*Q? -> answer` on one line.
            300..=379 => {
                let a = self.sentence();
                self.line(&format!("*{q} -> {a}"));
            }
            // `*Q?->`, answer below.
            380..=439 => {
                self.line(&format!("*{q}->"));
                self.answer_lines(1);
            }
            // `->text` without a space.
            440..=489 => {
                self.line(&format!("*{q}"));
                let a = self.sentence();
                self.line(&format!("->{a}"));
            }
            // `-> text`, then more.
            490..=569 => {
                self.line(&format!("*{q}"));
                let a = self.sentence();
                self.line(&format!("-> {a}"));
                if self.rng.chance(200) {
                    self.answer_lines(1);
                }
            }
            // `Term: definition` lines, bulleted and bold ones, and labels.
            570..=649 => {
                self.line(&format!("*{q} (3 parts)"));
                let (t, d) = *self.rng.pick(DEFINITIONS);
                self.line(&format!("-> {t}: {d}"));
                let (t, d) = *self.rng.pick(DEFINITIONS);
                self.line(&format!("- {t}: {d}"));
                let (t, d) = *self.rng.pick(DEFINITIONS);
                self.line(&format!("**{t}**: {d}"));
                self.line("Example: login at 10:30 on localhost:8080");
            }
            // A table.
            650..=699 => {
                self.line(&format!("*{q}->"));
                self.line("| | Gunicorn | Uvicorn |");
                self.line("|---|---|---|");
                self.line("| Interface | WSGI | ASGI |");
                self.line("| Workers | pre-fork | event loop 🚀 |");
            }
            // Bullets, bold and emphasis in the answer.
            700..=759 => {
                self.line(&format!("*{q}"));
                self.line("->");
                self.line("* stateless");
                self.line("**Rule**: (2 x cores) + 1");
                self.line("*emphasis* on measuring");
            }
            // Arrows inside sentences.
            760..=809 => {
                self.line(&format!("*{q}"));
                self.line("->");
                self.line("client -> Nginx -> Gunicorn -> Django -> PostgreSQL");
                self.answer_lines(1);
            }
            // A question about an arrow, with a remark before a same-line arrow.
            810..=824 => {
                let stem = q.trim_end_matches('?');
                self.line(&format!("*{stem}: what does a -> b mean?"));
                self.line("->");
                self.answer_lines(1);
                let a = self.sentence();
                let q2 = self.question();
                self.line("");
                self.line(&format!("*{q2} (2 reasons) -> {a}"));
            }
            // Unmarked question (warning-free only if it gets its `*`).
            825..=849 => {
                self.line(&q.to_lowercase());
                self.line("-> yes, see above");
            }
            // Multi-line question.
            850..=864 => {
                self.line("*Difference between");
                self.line(&q);
                self.line("->");
                self.answer_lines(1);
            }
            // Unanswered: no arrow.
            865..=884 => {
                self.line(&format!("*{q}"));
            }
            // Unanswered: nothing after the arrow.
            885..=899 => {
                self.line(&format!("*{q}"));
                self.line("->");
            }
            // Placeholder.
            900..=914 => {
                self.line(&format!("*{q}"));
                let p = *self
                    .rng
                    .pick(&["-> TODO", "-> TBD", "-> ...", "-> TODO: explain"]);
                self.line(p);
            }
            // Answer without an arrow.
            915..=929 => {
                self.line(&format!("*{q}"));
                self.answer_lines(1);
            }
            // Duplicate of an earlier question, with different case and spacing.
            930..=944 => {
                let earlier = self.asked[self.rng.below(self.asked.len())].clone();
                let dup = if self.rng.chance(500) {
                    earlier.to_uppercase()
                } else {
                    earlier.replace(' ', "  ")
                };
                self.line(&format!("*{dup}"));
                self.line("->");
                self.answer_lines(1);
            }
            // Empty question, and an answer with no question after a blank line.
            945..=949 => {
                self.line("*");
                self.line("-> an answer to nothing");
                self.line("");
                self.line(&format!("*{q}"));
                self.line("->");
                self.answer_lines(1);
                self.line("");
                self.line("-> second thoughts, with no question");
            }
            // A trailing unanswered question in its own paragraph.
            950..=964 => {
                self.line(&format!("*{q}"));
                self.line("->");
                self.answer_lines(1);
                self.line("");
                let q2 = self.question();
                self.line(&q2);
            }
            // An indented code block and a multi-byte answer.
            965..=984 => {
                self.line(&format!("*{q}"));
                self.line("->");
                self.line("    gunicorn app.main:app -k uvicorn.workers.UvicornWorker -w 4");
                let m = *self.rng.pick(MULTIBYTE);
                self.line(&format!("Notes: {m}, {m}"));
            }
            // A full-width question mark before a same-line arrow.
            _ => {
                let stem = q.trim_end_matches('?');
                self.line(&format!("*{stem}？->"));
                self.line("二つの違いは？ Both work; measure.");
            }
        }
        self.out.push('\n');
    }
}
