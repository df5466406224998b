// Loads the real bundle (out/extension.js) against a stub `vscode` module and drives
// activate(): the missing-server error, the status bar item and "Show unanswered questions".
// (A language client that talks to a server needs a real VS Code; that part is not covered here.)
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { existsSync } from 'node:fs';

/* eslint-disable @typescript-eslint/no-explicit-any */
const Module: any = require('node:module');

const bundle = path.resolve(__dirname, '..', 'extension.js');

interface Calls {
  errors: Array<{ msg: string; items: string[] }>;
  info: string[];
  executed: unknown[][];
  quickPicks: Array<{ items: any[]; opts: any }>;
  shown: Array<{ uri: any; editor: any }>;
}

function makeStub(config: Record<string, unknown>, diagnostics: () => Array<[any, any[]]>) {
  const calls: Calls = { errors: [], info: [], executed: [], quickPicks: [], shown: [] };
  const commands = new Map<string, (...args: any[]) => any>();
  const diagListeners: Array<() => void> = [];
  const disposable = { dispose() {} };
  const statusItem: any = {
    text: '',
    tooltip: '',
    visible: false,
    show() {
      this.visible = true;
    },
    hide() {
      this.visible = false;
    },
    dispose() {},
  };
  let pickIndex = 0;
  const vscode: any = {
    StatusBarAlignment: { Left: 1, Right: 2 },
    TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
    Position: class {
      constructor(
        public line: number,
        public character: number,
      ) {}
    },
    Selection: class {
      constructor(
        public anchor: any,
        public active: any,
      ) {}
    },
    Range: class {
      constructor(
        public start: any,
        public end: any,
      ) {}
    },
    env: { clipboard: { writeText: async () => undefined } },
    window: {
      createOutputChannel: () => ({ appendLine() {}, show() {}, dispose() {} }),
      createStatusBarItem: () => statusItem,
      showErrorMessage: async (msg: string, ...items: string[]) => {
        calls.errors.push({ msg, items });
        return undefined;
      },
      showInformationMessage: async (msg: string) => {
        calls.info.push(msg);
        return undefined;
      },
      showQuickPick: async (items: any[], opts: any) => {
        calls.quickPicks.push({ items, opts });
        return items[pickIndex];
      },
      showTextDocument: async (uri: any) => {
        const editor = { selection: undefined as any, revealed: undefined as any, revealRange(r: any) { this.revealed = r; } };
        calls.shown.push({ uri, editor });
        return editor;
      },
      setStatusBarMessage: () => disposable,
    },
    commands: {
      registerCommand: (id: string, fn: (...args: any[]) => any) => {
        commands.set(id, fn);
        return disposable;
      },
      executeCommand: async (...args: unknown[]) => {
        calls.executed.push(args);
      },
    },
    languages: {
      onDidChangeDiagnostics: (fn: () => void) => {
        diagListeners.push(fn);
        return disposable;
      },
      getDiagnostics: () => diagnostics(),
      match: () => 0,
      setTextDocumentLanguage: async () => undefined,
    },
    workspace: {
      // A notes document is open: that is what activates the extension and starts the server.
      textDocuments: [{ languageId: 'interview-notes', uri: { path: '/ws/a.notes', scheme: 'file' } }],
      workspaceFolders: [{ uri: { fsPath: '/ws' } }],
      onDidOpenTextDocument: () => disposable,
      onDidChangeConfiguration: () => disposable,
      findFiles: async (glob: string) => (glob === '**/*.notes' ? [{ fsPath: '/ws/a.notes' }] : []),
      getConfiguration: () => ({
        get: (k: string, d?: unknown) => (k in config ? config[k] : d),
        inspect: (k: string) => (k in config ? { globalValue: config[k] } : {}),
      }),
      asRelativePath: (u: any) => String(u.path).replace('/ws/', ''),
      createFileSystemWatcher: () => disposable,
    },
  };
  // vscode-languageclient subclasses vscode classes (CompletionItem, Hover, ...) at load time:
  // anything not stubbed above is an empty class.
  const stubbed = new Map<PropertyKey, unknown>();
  const proxy = new Proxy(vscode, {
    get(target, prop) {
      if (prop in target) {
        return target[prop];
      }
      if (!stubbed.has(prop)) {
        stubbed.set(prop, class {});
      }
      return stubbed.get(prop);
    },
  });
  return {
    vscode: proxy,
    calls,
    commands,
    statusItem,
    fireDiagnostics: () => diagListeners.forEach((f) => f()),
    pick: (i: number) => {
      pickIndex = i;
    },
  };
}

function loadExtension(vscode: any): any {
  const originalLoad = Module._load;
  Module._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') {
      return vscode;
    }
    return originalLoad.call(this, request, ...rest);
  };
  try {
    delete require.cache[bundle];
    return require(bundle);
  } finally {
    Module._load = originalLoad;
  }
}

const uri = (p: string) => ({ path: p, fsPath: p, scheme: 'file', toString: () => `file://${p}` });
const diag = (line: number, code: string) => ({
  message: 'Question has no answer',
  source: 'notes-ls',
  code,
  severity: 1,
  range: { start: { line, character: 0 }, end: { line, character: 5 } },
});

test('activate: missing server binary shows the install command and an Open Settings button', { skip: !existsSync(bundle) && 'run `npm run build` first' }, async () => {
  let current: Array<[any, any[]]> = [];
  const stub = makeStub({ 'server.path': '/nonexistent/bin/notes-ls' }, () => current);
  const ext = loadExtension(stub.vscode);
  const context = { subscriptions: [] as unknown[] };
  await ext.activate(context);

  assert.equal(stub.calls.errors.length, 1, JSON.stringify(stub.calls.errors));
  const { msg, items } = stub.calls.errors[0];
  assert.match(msg, /cargo install --path \./);
  assert.match(msg, /\/nonexistent\/bin\/notes-ls/);
  assert.deepEqual(items, ['Open Settings', 'Copy Install Command']);
  assert.ok(stub.commands.has('notesLs.restartServer'));
  assert.ok(stub.commands.has('notesLs.showUnanswered'));
  assert.ok(context.subscriptions.length >= 5);

  // No client and no diagnostics: the status item stays hidden.
  assert.equal(stub.statusItem.visible, false);

  // Diagnostics arrive (from any source): the status item counts unanswered questions only.
  current = [
    [uri('/ws/b.notes'), [diag(4, 'unanswered-question'), diag(1, 'duplicate-question')]],
    [uri('/ws/a.notes'), [diag(2, 'unanswered-question')]],
  ];
  stub.fireDiagnostics();
  assert.equal(stub.statusItem.visible, true);
  // A folder is open: the server reports the whole workspace, and the label says so.
  assert.equal(stub.statusItem.text, '$(warning) 2 unanswered (workspace)');
  assert.equal(stub.statusItem.command, 'notesLs.showUnanswered');

  // Show unanswered questions: a quick pick sorted by file, and choosing one jumps there.
  stub.pick(1);
  await stub.commands.get('notesLs.showUnanswered')!();
  assert.equal(stub.calls.quickPicks.length, 1);
  const picked = stub.calls.quickPicks[0];
  assert.deepEqual(
    picked.items.map((i: any) => i.description),
    ['a.notes:3', 'b.notes:5'],
  );
  assert.match(picked.opts.title, /Unanswered questions, workspace \(2\)/);
  assert.equal(stub.calls.shown.length, 1);
  assert.equal(stub.calls.shown[0].uri.path, '/ws/b.notes');
  assert.equal(stub.calls.shown[0].editor.selection.active.line, 4);

  // No unanswered questions left.
  current = [];
  stub.fireDiagnostics();
  assert.equal(stub.statusItem.visible, false);
  await stub.commands.get('notesLs.showUnanswered')!();
  assert.equal(stub.calls.quickPicks.length, 1);
  assert.match(stub.calls.info.at(-1) ?? '', /No unanswered questions/);

  await ext.deactivate();
});
