import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  associationGlobs,
  buildDocumentSelector,
  FileProbe,
  InspectedLike,
  looksLikeNotes,
  missingServerMessage,
  resolveServerCommand,
  serverSettings,
  traceLevel,
} from '../../src/server';

function probe(existing: string[]): FileProbe {
  const set = new Set(existing);
  return { isExecutableFile: (p) => set.has(p) };
}

test('resolveServerCommand: PATH lookup', () => {
  const r = resolveServerCommand({
    envPath: '/usr/bin::/home/u/.cargo/bin',
    platform: 'linux',
    probe: probe(['/home/u/.cargo/bin/notes-ls']),
  });
  assert.deepEqual(r, { ok: true, command: '/home/u/.cargo/bin/notes-ls', from: 'PATH' });
});

test('resolveServerCommand: missing everywhere', () => {
  const r = resolveServerCommand({ envPath: '/usr/bin', platform: 'linux', probe: probe([]) });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.match(r.reason, /not found on PATH/);
  }
});

test('resolveServerCommand: setting wins over PATH; ~ and relative paths', () => {
  const p = probe(['/opt/notes-ls', '/home/u/bin/notes-ls', '/ws/target/debug/notes-ls', '/usr/bin/notes-ls']);
  assert.deepEqual(resolveServerCommand({ configured: '/opt/notes-ls', envPath: '/usr/bin', platform: 'linux', probe: p }), {
    ok: true,
    command: '/opt/notes-ls',
    from: 'setting',
  });
  const home = resolveServerCommand({ configured: '~/bin/notes-ls', home: '/home/u', platform: 'linux', probe: p });
  assert.equal(home.ok && home.command, '/home/u/bin/notes-ls');
  const rel = resolveServerCommand({ configured: 'target/debug/notes-ls', workspaceFolder: '/ws', platform: 'linux', probe: p });
  assert.equal(rel.ok && rel.command, '/ws/target/debug/notes-ls');
  const variable = resolveServerCommand({
    configured: '${workspaceFolder}/target/debug/notes-ls',
    workspaceFolder: '/ws',
    platform: 'linux',
    probe: p,
  });
  assert.equal(variable.ok && variable.command, '/ws/target/debug/notes-ls');
});

test('resolveServerCommand: a configured path that does not exist is an error, not a PATH fallback', () => {
  const r = resolveServerCommand({
    configured: '/nope/notes-ls',
    envPath: '/usr/bin',
    platform: 'linux',
    probe: probe(['/usr/bin/notes-ls']),
  });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.match(r.reason, /\/nope\/notes-ls/);
  }
});

test('resolveServerCommand: windows PATH with .exe', () => {
  const r = resolveServerCommand({
    envPath: 'C:\\tools;C:\\Users\\u\\.cargo\\bin',
    platform: 'win32',
    probe: probe(['C:\\Users\\u\\.cargo\\bin\\notes-ls.exe']),
  });
  assert.equal(r.ok && r.command, 'C:\\Users\\u\\.cargo\\bin\\notes-ls.exe');
});

test('missingServerMessage names the install command', () => {
  const m = missingServerMessage('"notes-ls" was not found on PATH.');
  assert.match(m, /cargo install --path \./);
  assert.match(m, /notesLs\.server\.path/);
});

test('associationGlobs cleans the setting', () => {
  assert.deepEqual(associationGlobs(['**/notes/**/*.txt', ' ', 3, '**/notes/**/*.txt', ' x/*.md ']), [
    '**/notes/**/*.txt',
    'x/*.md',
  ]);
  assert.deepEqual(associationGlobs('nope'), []);
  assert.deepEqual(associationGlobs(undefined), []);
});

test('buildDocumentSelector covers the language and the extra globs', () => {
  assert.deepEqual(buildDocumentSelector(['**/notes/**/*.txt']), [
    { scheme: 'file', language: 'interview-notes' },
    { scheme: 'untitled', language: 'interview-notes' },
    { scheme: 'file', pattern: '**/notes/**/*.txt' },
  ]);
});

test('serverSettings sends only the server keys, and only values the user set', () => {
  // What VS Code's inspect() gives: contributed defaults in defaultValue (never sent), user and
  // workspace values, and the extension's own keys (never asked for).
  const inspected: Record<string, InspectedLike & { defaultValue?: unknown }> = {
    'files.include': { defaultValue: ['**/*.notes'] },
    'glossary.paths': { defaultValue: ['glossary.toml'] },
    'glossary.builtin': { defaultValue: true, globalValue: false },
    diagnostics: { defaultValue: {}, globalValue: { 'duplicate-question': 'off' }, workspaceValue: { 'missing-question-marker': 'off' } },
    'server.path': { globalValue: '/x/notes-ls' },
    'files.associations': { globalValue: ['**/*.txt'] },
  };
  const asked: string[] = [];
  const got = serverSettings((key) => {
    asked.push(key);
    return inspected[key];
  });
  assert.deepEqual(got, {
    notesLs: {
      glossary: { builtin: false },
      diagnostics: { 'missing-question-marker': 'off' },
    },
  });
  assert.ok(!asked.some((k) => k.startsWith('server') || k.startsWith('trace') || k === 'files.associations'));
  assert.deepEqual(serverSettings(() => undefined), { notesLs: {} });
});

test('looksLikeNotes: a *question line and an arrow, in the first lines', () => {
  assert.equal(looksLikeNotes(['*What is CSRF?', '->', 'An attack.']), true);
  assert.equal(looksLikeNotes(['*Difference b/w Django vs Fast API->', 'text']), true);
  assert.equal(looksLikeNotes(['Shopping list', '* eggs', '* milk']), false);
  assert.equal(looksLikeNotes(['**bold** title', 'a -> b']), false);
  assert.equal(looksLikeNotes(['x = 1 -> 2', 'no question here']), false);
});

test('traceLevel', () => {
  assert.equal(traceLevel('verbose'), 'verbose');
  assert.equal(traceLevel('messages'), 'messages');
  assert.equal(traceLevel('loud'), 'off');
});
