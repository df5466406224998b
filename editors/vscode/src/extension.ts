import * as os from 'os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from 'vscode-languageclient/node';
import {
  INSTALL_COMMAND,
  LANGUAGE_ID,
  associationGlobs,
  buildDocumentSelector,
  looksLikeNotes,
  missingServerMessage,
  resolveServerCommand,
  serverSettings,
} from './server';
import { drillArgs, EXPORT_FORMATS, ExportFormat, exportArgs } from './study';
import { collectUnanswered, countUnanswered, Scope, statusView, toQuickPickItems, UnansweredEntry } from './unanswered';

const CLIENT_ID = 'notesLs'; // makes vscode-languageclient honour `notesLs.trace.server`
const CLIENT_NAME = 'notes-ls';

let client: LanguageClient | undefined;
let outputChannel: vscode.OutputChannel | undefined;
let traceChannel: vscode.OutputChannel | undefined;
let statusItem: vscode.StatusBarItem | undefined;
let starting: Promise<void> | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  outputChannel = vscode.window.createOutputChannel('notes-ls');
  traceChannel = vscode.window.createOutputChannel('notes-ls Trace');
  context.subscriptions.push(outputChannel, traceChannel);

  statusItem = vscode.window.createStatusBarItem('notesLs.unanswered', vscode.StatusBarAlignment.Left, 50);
  statusItem.name = 'Unanswered questions';
  statusItem.command = 'notesLs.showUnanswered';
  context.subscriptions.push(statusItem);

  context.subscriptions.push(
    vscode.commands.registerCommand('notesLs.restartServer', () => restartServer()),
    vscode.commands.registerCommand('notesLs.showUnanswered', () => showUnanswered()),
    // A code lens passes the file it stands in; the palette passes nothing.
    vscode.commands.registerCommand('notesLs.drill', (file?: unknown) =>
      runInTerminal('notes-ls drill', drillArgs(typeof file === 'string' ? file : undefined)),
    ),
    vscode.commands.registerCommand('notesLs.export', async () => {
      const format = await vscode.window.showQuickPick([...EXPORT_FORMATS], { title: 'Export the notes as cards' });
      if (format) {
        runInTerminal('notes-ls export', exportArgs(format as ExportFormat));
      }
    }),
    vscode.languages.onDidChangeDiagnostics(() => updateStatus()),
    vscode.workspace.onDidOpenTextDocument((doc) => onDocument(doc)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('notesLs.files.associations')) {
        vscode.workspace.textDocuments.forEach((doc) => void applyAssociation(doc));
      }
      if (e.affectsConfiguration('notesLs.server') || e.affectsConfiguration('notesLs.files.associations')) {
        if (client) {
          await restartServer();
        }
      } else if (e.affectsConfiguration('notesLs') && client) {
        // Only the server's keys, only as the user set them (not the whole section, which
        // holds the extension's own keys and every contributed default).
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: currentSettings() });
      }
    }),
  );

  for (const doc of vscode.workspace.textDocuments) {
    await applyAssociation(doc);
  }
  // Activated by a notes document (or a plain-text one that may be notes): start when one is open.
  if (vscode.workspace.textDocuments.some(isNotesDocument)) {
    await ensureStarted();
  }
  updateStatus();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

function currentSettings(): { notesLs: Record<string, unknown> } {
  const config = vscode.workspace.getConfiguration('notesLs');
  return serverSettings((key) => config.inspect(key));
}

function associations(): string[] {
  return associationGlobs(vscode.workspace.getConfiguration('notesLs').get('files.associations'));
}

function isNotesDocument(doc: vscode.TextDocument): boolean {
  if (doc.languageId === LANGUAGE_ID) {
    return true;
  }
  return associations().some((pattern) => vscode.languages.match({ scheme: 'file', pattern }, doc) > 0);
}

/** Plain-text files whose first lines read as notes (`*question`, `->`) are notes. */
function txtLooksLikeNotes(doc: vscode.TextDocument): boolean {
  if (doc.languageId !== 'plaintext' || !doc.uri.path.toLowerCase().endsWith('.txt')) {
    return false;
  }
  const lines: string[] = [];
  for (let i = 0; i < Math.min(doc.lineCount, 100); i++) {
    lines.push(doc.lineAt(i).text);
  }
  return looksLikeNotes(lines);
}

/**
 * `files.associations`-like behaviour for `notesLs.files.associations` globs, and for `.txt`
 * files that read as notes.
 */
async function applyAssociation(doc: vscode.TextDocument): Promise<void> {
  if (doc.languageId === LANGUAGE_ID || doc.uri.scheme !== 'file') {
    return;
  }
  const matches =
    txtLooksLikeNotes(doc) ||
    associations().some((pattern) => vscode.languages.match({ scheme: 'file', pattern }, doc) > 0);
  if (matches) {
    try {
      await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
    } catch (err) {
      outputChannel?.appendLine(`could not switch ${doc.uri.fsPath} to ${LANGUAGE_ID}: ${String(err)}`);
    }
  }
}

async function onDocument(doc: vscode.TextDocument): Promise<void> {
  await applyAssociation(doc);
  if (!client && isNotesDocument(doc)) {
    await ensureStarted();
  }
}

async function ensureStarted(): Promise<void> {
  if (client) {
    return;
  }
  if (!starting) {
    starting = startClient().finally(() => {
      starting = undefined;
    });
  }
  return starting;
}

async function startClient(): Promise<void> {
  const config = vscode.workspace.getConfiguration('notesLs');
  const resolved = resolveServerCommand({
    configured: config.get<string>('server.path', ''),
    envPath: process.env.PATH,
    home: os.homedir(),
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  });
  if (!resolved.ok) {
    outputChannel?.appendLine(missingServerMessage(resolved.reason));
    void showMissingServer(resolved.reason);
    return;
  }
  outputChannel?.appendLine(`starting ${resolved.command} (found via ${resolved.from})`);

  const extraArgs = config.get<string[]>('server.extraArgs', []).filter((a) => typeof a === 'string');
  const serverOptions: ServerOptions = {
    run: { command: resolved.command, args: extraArgs },
    debug: { command: resolved.command, args: extraArgs, options: { env: { ...process.env, RUST_LOG: 'debug' } } },
  };
  const assoc = associations();
  const clientOptions: LanguageClientOptions = {
    documentSelector: buildDocumentSelector(assoc),
    initializationOptions: currentSettings(),
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.notes'),
        vscode.workspace.createFileSystemWatcher('**/notes-ls.toml'),
        vscode.workspace.createFileSystemWatcher('**/glossary.toml'),
        vscode.workspace.createFileSystemWatcher('**/*.txt'),
        ...assoc.map((glob) => vscode.workspace.createFileSystemWatcher(glob)),
      ],
    },
    outputChannel,
    traceOutputChannel: traceChannel,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };

  const newClient = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = newClient;
  try {
    await newClient.start();
  } catch (err) {
    client = undefined;
    const choice = await vscode.window.showErrorMessage(
      `notes-ls failed to start (${resolved.command}): ${err instanceof Error ? err.message : String(err)}`,
      'Show Output',
      'Open Settings',
    );
    if (choice === 'Show Output') {
      outputChannel?.show();
    } else if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'notesLs.server');
    }
  }
  updateStatus();
}

async function showMissingServer(reason: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    missingServerMessage(reason),
    'Open Settings',
    'Copy Install Command',
  );
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'notesLs.server.path');
  } else if (choice === 'Copy Install Command') {
    await vscode.env.clipboard.writeText(INSTALL_COMMAND);
    void vscode.window.showInformationMessage(`Copied "${INSTALL_COMMAND}": run it in a checkout of the notes-ls repository.`);
  }
}

async function stopClient(): Promise<void> {
  const old = client;
  client = undefined;
  if (old) {
    try {
      await old.stop(2000);
    } catch (err) {
      outputChannel?.appendLine(`error while stopping notes-ls: ${String(err)}`);
    }
    await old.dispose().catch(() => undefined);
  }
}

/** Runs `notes-ls ARGS` in an integrated terminal in the first workspace folder. */
function runInTerminal(name: string, args: string[]): void {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const resolved = resolveServerCommand({
    configured: vscode.workspace.getConfiguration('notesLs').get<string>('server.path', ''),
    envPath: process.env.PATH,
    home: os.homedir(),
    workspaceFolder: folder,
  });
  if (!resolved.ok) {
    void showMissingServer(resolved.reason);
    return;
  }
  const terminal = vscode.window.createTerminal({ name, cwd: folder, shellPath: resolved.command, shellArgs: args });
  terminal.show();
}

async function restartServer(): Promise<void> {
  if (starting) {
    await starting;
  }
  await stopClient();
  await startClient();
  if (client) {
    void vscode.window.setStatusBarMessage('notes-ls restarted', 3000);
  }
}

function lineTextOf(uri: vscode.Uri, line: number): string | undefined {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!doc || line >= doc.lineCount) {
    return undefined;
  }
  return doc.lineAt(line).text;
}

/** What the diagnostics cover: the server indexes a workspace folder, else only open files. */
function scope(): Scope {
  return vscode.workspace.workspaceFolders?.length ? 'workspace' : 'open files';
}

function updateStatus(): void {
  if (!statusItem) {
    return;
  }
  const count = countUnanswered(vscode.languages.getDiagnostics());
  if (!client && count === 0) {
    statusItem.hide();
    return;
  }
  const view = statusView(count, scope());
  statusItem.text = view.text;
  statusItem.tooltip = view.tooltip;
  statusItem.show();
}

async function showUnanswered(): Promise<void> {
  const entries = collectUnanswered(vscode.languages.getDiagnostics(), {
    pathOf: (uri) => vscode.workspace.asRelativePath(uri),
    lineText: lineTextOf,
  });
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(`No unanswered questions (${scope()}).`);
    return;
  }
  const picked = await vscode.window.showQuickPick(toQuickPickItems(entries), {
    title: `Unanswered questions, ${scope()} (${entries.length})`,
    placeHolder: 'Jump to a question',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked) {
    await reveal(picked.entry);
  }
}

async function reveal(entry: UnansweredEntry<vscode.Uri>): Promise<void> {
  const pos = new vscode.Position(entry.line, entry.character);
  const editor = await vscode.window.showTextDocument(entry.uri, { preview: false });
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
