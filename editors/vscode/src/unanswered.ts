// Pure logic behind "Notes: Show unanswered questions" and the status bar item.
// No `vscode` import here, so node's test runner can exercise it directly.

export const SERVER_SOURCE = 'notes-ls';
export const UNANSWERED_CODE = 'unanswered-question';

/** The parts of a vscode.Diagnostic this module reads. */
export interface DiagnosticLike {
  message: string;
  source?: string;
  code?: string | number | { value: string | number; target?: unknown };
  range: { start: { line: number; character: number } };
}

/** One unanswered question found in the diagnostics of one resource. */
export interface UnansweredEntry<U> {
  uri: U;
  /** Workspace-relative (or otherwise display-friendly) path of the file. */
  path: string;
  /** Zero-based line / character of the diagnostic start. */
  line: number;
  character: number;
  /** Question text (from the document line if available, else the diagnostic message). */
  question: string;
  message: string;
}

export interface QuickPickEntry<U> {
  label: string;
  description: string;
  detail?: string;
  entry: UnansweredEntry<U>;
}

/** Diagnostic codes can be a string, a number or `{ value, target }`. */
export function diagnosticCode(code: DiagnosticLike['code']): string | undefined {
  if (code === undefined || code === null) {
    return undefined;
  }
  if (typeof code === 'object') {
    return String(code.value);
  }
  return String(code);
}

export function isUnanswered(d: DiagnosticLike): boolean {
  return d.source === SERVER_SOURCE && diagnosticCode(d.code) === UNANSWERED_CODE;
}

/**
 * Turns a source line such as `*What is CSRF?->` into `What is CSRF?`.
 * Returns undefined for lines that carry no text.
 */
export function questionTextFromLine(line: string): string | undefined {
  let text = line.trim();
  if (text.startsWith('*') && !text.startsWith('**')) {
    text = text.slice(1);
  }
  text = text.replace(/\s*->\s*$/, '').trim();
  return text.length > 0 ? text : undefined;
}

export interface CollectOptions<U> {
  /** Display path for a resource (e.g. vscode.workspace.asRelativePath). */
  pathOf: (uri: U) => string;
  /** Text of a line in the resource, if the document is available. */
  lineText?: (uri: U, line: number) => string | undefined;
}

/**
 * Collects unanswered-question diagnostics out of `vscode.languages.getDiagnostics()`
 * output, sorted by path and then by position.
 */
export function collectUnanswered<U>(
  all: ReadonlyArray<readonly [U, ReadonlyArray<DiagnosticLike>]>,
  options: CollectOptions<U>,
): UnansweredEntry<U>[] {
  const out: UnansweredEntry<U>[] = [];
  for (const [uri, diagnostics] of all) {
    const matching = diagnostics.filter(isUnanswered);
    if (matching.length === 0) {
      continue;
    }
    const path = options.pathOf(uri);
    for (const d of matching) {
      const { line, character } = d.range.start;
      const fromLine = options.lineText ? options.lineText(uri, line) : undefined;
      const question = (fromLine !== undefined ? questionTextFromLine(fromLine) : undefined) ?? d.message;
      out.push({ uri, path, line, character, question, message: d.message });
    }
  }
  out.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.character - b.character,
  );
  return out;
}

/** Number of unanswered-question diagnostics over all resources. */
export function countUnanswered(all: ReadonlyArray<readonly [unknown, ReadonlyArray<DiagnosticLike>]>): number {
  let n = 0;
  for (const [, diagnostics] of all) {
    for (const d of diagnostics) {
      if (isUnanswered(d)) {
        n++;
      }
    }
  }
  return n;
}

export function toQuickPickItems<U>(entries: ReadonlyArray<UnansweredEntry<U>>): QuickPickEntry<U>[] {
  return entries.map((entry) => ({
    label: `$(question) ${entry.question}`,
    description: `${entry.path}:${entry.line + 1}`,
    detail: entry.message !== entry.question ? entry.message : undefined,
    entry,
  }));
}

export interface StatusView {
  text: string;
  tooltip: string;
}

/**
 * What the count covers: with a folder open the server reports every notes file of the
 * workspace (`workspace/diagnostic`), without one only the open files. The label says which.
 */
export type Scope = 'workspace' | 'open files';

export function statusView(count: number, scope: Scope): StatusView {
  const where = scope === 'workspace' ? "the workspace's notes files" : 'the open notes files';
  if (count === 0) {
    return {
      text: `$(check) 0 unanswered (${scope})`,
      tooltip: `notes-ls: every question in ${where} has an answer`,
    };
  }
  const noun = count === 1 ? 'question' : 'questions';
  return {
    text: `$(warning) ${count} unanswered (${scope})`,
    tooltip: `notes-ls: ${count} unanswered ${noun} in ${where}. Click to list them.`,
  };
}
