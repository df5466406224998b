// The study commands (drill, export) as command lines for an integrated terminal. Pure, so
// the unit tests check what the terminal will run.

export const EXPORT_FORMATS = ['anki', 'csv', 'json', 'markdown'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The file each export format is written to, in the workspace folder. */
export function exportFile(format: ExportFormat): string {
  switch (format) {
    case 'anki':
      return 'notes-anki.txt';
    case 'csv':
      return 'notes-cards.csv';
    case 'json':
      return 'notes-cards.jsonl';
    case 'markdown':
      return 'notes-cards.md';
  }
}

/** `notes-ls drill [FILE]`: the whole workspace, or the file a code lens was clicked on. */
export function drillArgs(file?: string): string[] {
  return file ? ['drill', file] : ['drill'];
}

/** `notes-ls export --to FORMAT -o FILE`. */
export function exportArgs(format: ExportFormat): string[] {
  return ['export', '--to', format, '-o', exportFile(format)];
}
