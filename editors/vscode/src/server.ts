// Pure helpers for finding and configuring the notes-ls server. No `vscode` import.
import * as path from 'path';
import * as fs from 'fs';

export const LANGUAGE_ID = 'interview-notes';
export const SERVER_NAME = 'notes-ls';
export const INSTALL_COMMAND = 'cargo install --path .';

export interface FileProbe {
  isExecutableFile(p: string): boolean;
}

export const realFileProbe: FileProbe = {
  isExecutableFile(p: string): boolean {
    try {
      const st = fs.statSync(p);
      if (!st.isFile()) {
        return false;
      }
      if (process.platform === 'win32') {
        return true;
      }
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

export interface ResolveOptions {
  /** Value of `notesLs.server.path` ('' or undefined: search PATH). */
  configured?: string;
  /** The PATH environment variable. */
  envPath?: string;
  /** Home directory, for `~/` expansion. */
  home?: string;
  /** First workspace folder, for relative `notesLs.server.path` values. */
  workspaceFolder?: string;
  platform?: NodeJS.Platform;
  probe?: FileProbe;
}

export type ResolveResult =
  | { ok: true; command: string; from: 'setting' | 'PATH' }
  | { ok: false; reason: string };

/** Finds the server binary: `notesLs.server.path` if set, otherwise `notes-ls` on PATH. */
export function resolveServerCommand(opts: ResolveOptions): ResolveResult {
  const platform = opts.platform ?? process.platform;
  const probe = opts.probe ?? realFileProbe;
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const configured = (opts.configured ?? '').trim();

  if (configured.length > 0) {
    let p = configured;
    if (opts.home && (p === '~' || p.startsWith('~/'))) {
      p = pathApi.join(opts.home, p.slice(1));
    }
    if (opts.workspaceFolder) {
      p = p.replace(/\$\{workspaceFolder\}/g, opts.workspaceFolder);
    }
    if (!pathApi.isAbsolute(p) && (p.includes('/') || p.includes('\\'))) {
      if (opts.workspaceFolder) {
        p = pathApi.resolve(opts.workspaceFolder, p);
      }
    }
    if (pathApi.isAbsolute(p)) {
      return probe.isExecutableFile(p)
        ? { ok: true, command: p, from: 'setting' }
        : { ok: false, reason: `notesLs.server.path is set to "${configured}", but no executable file exists there.` };
    }
    // A bare name such as "notes-ls-dev": look it up on PATH.
    const found = searchPath(p, opts.envPath ?? '', platform, probe);
    return found
      ? { ok: true, command: found, from: 'setting' }
      : { ok: false, reason: `notesLs.server.path is "${configured}", which was not found on PATH.` };
  }

  const found = searchPath(SERVER_NAME, opts.envPath ?? '', platform, probe);
  return found
    ? { ok: true, command: found, from: 'PATH' }
    : { ok: false, reason: `"${SERVER_NAME}" was not found on PATH and notesLs.server.path is not set.` };
}

export function searchPath(name: string, envPath: string, platform: NodeJS.Platform, probe: FileProbe): string | undefined {
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const delimiter = platform === 'win32' ? ';' : ':';
  const exts = platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of envPath.split(delimiter)) {
    if (dir.length === 0) {
      continue;
    }
    for (const ext of exts) {
      const candidate = pathApi.join(dir, name + ext);
      if (probe.isExecutableFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** The message shown when the binary cannot be found. */
export function missingServerMessage(reason: string): string {
  return (
    `notes-ls language server not found: ${reason} ` +
    `Install it from a checkout of the notes-ls repository with \`${INSTALL_COMMAND}\` ` +
    `(puts notes-ls in ~/.cargo/bin), or set "notesLs.server.path" to the binary.`
  );
}

export type DocumentFilterLike = { scheme: string; language: string } | { scheme: string; pattern: string };

/** Glob patterns from `notesLs.files.associations`, cleaned up. */
export function associationGlobs(raw: unknown): string[] {
  if (!Array.isArray(raw)) {
    return [];
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string') {
      continue;
    }
    const glob = item.trim();
    if (glob.length > 0 && !seen.has(glob)) {
      seen.add(glob);
      out.push(glob);
    }
  }
  return out;
}

/**
 * Document selector for the language client: every `interview-notes` document, plus files
 * matching the extra association globs (e.g. `**\/notes/**\/*.txt`) whatever language they have.
 */
export function buildDocumentSelector(associations: readonly string[]): DocumentFilterLike[] {
  const selector: DocumentFilterLike[] = [
    { scheme: 'file', language: LANGUAGE_ID },
    { scheme: 'untitled', language: LANGUAGE_ID },
  ];
  for (const pattern of associations) {
    selector.push({ scheme: 'file', pattern });
  }
  return selector;
}

/** Wraps the `notesLs` configuration section the way the server expects it. */
/** The settings of `notesLs` that the server reads, as dotted keys under `notesLs`. */
export const SERVER_KEYS = [
  'files.include',
  'files.exclude',
  'files.maxSize',
  'diagnostics',
  'glossary.builtin',
  'glossary.paths',
  'codeLens',
] as const;

/** What `WorkspaceConfiguration.inspect(key)` tells of one setting. */
export interface InspectedLike {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The server's settings, as the user set them: only the keys the server reads (the extension's
 * own `server`, `trace` and `files.associations` stay here) and only the values set in user,
 * workspace or folder settings, the narrowest winning. A contributed default is never sent, so
 * the server's own defaults (its `glossary.toml`) stay in force.
 */
export function serverSettings(inspect: (key: string) => InspectedLike | undefined): { notesLs: Record<string, unknown> } {
  const notesLs: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    const i = inspect(key);
    const value = i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
    if (value === undefined || value === null) {
      continue;
    }
    const parts = key.split('.');
    let node = notesLs;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = JSON.parse(JSON.stringify(value));
  }
  return { notesLs };
}

/**
 * Whether the first lines of a file read as notes: a `*question` line and an arrow (`->` at
 * the start or the end of a line). Decides which `.txt` files are notes.
 */
export function looksLikeNotes(lines: readonly string[]): boolean {
  let question = false;
  let arrow = false;
  for (const line of lines) {
    question ||= /^\*[^*\s]/.test(line);
    arrow ||= /^\s*->/.test(line) || /->\s*$/.test(line);
    if (question && arrow) {
      return true;
    }
  }
  return false;
}

/** Trace setting value, tolerant of junk. */
export function traceLevel(value: unknown): 'off' | 'messages' | 'verbose' {
  return value === 'messages' || value === 'verbose' ? value : 'off';
}
