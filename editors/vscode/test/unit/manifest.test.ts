// Checks on the static contributions: package.json, language configuration and grammar.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const readJson = (p: string) => JSON.parse(readFileSync(path.join(root, p), 'utf8'));

test('wordPattern keeps N+1, django-oauth-toolkit and C++ whole', () => {
  const conf = readJson('language-configuration.json');
  const re = new RegExp(conf.wordPattern, 'g');
  const words = (s: string) => s.match(re) ?? [];
  assert.deepEqual(words('the N+1 problem'), ['the', 'N+1', 'problem']);
  assert.deepEqual(words('use django-oauth-toolkit.'), ['use', 'django-oauth-toolkit']);
  assert.deepEqual(words('C++ and C# (JWT)'), ['C++', 'and', 'C#', 'JWT']);
  assert.deepEqual(words('request -> response'), ['request', 'response']);
  assert.deepEqual(words('*What is CSRF?'), ['What', 'is', 'CSRF']);
});

test('package.json contributes the language, grammar, commands and settings', () => {
  const pkg = readJson('package.json');
  const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'interview-notes');
  assert.ok(lang, 'language interview-notes');
  assert.deepEqual(lang.extensions, ['.notes']);
  const grammar = pkg.contributes.grammars[0];
  assert.equal(grammar.language, 'interview-notes');
  assert.equal(readJson(grammar.path).scopeName, grammar.scopeName);
  const commands = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(commands, ['notesLs.drill', 'notesLs.export', 'notesLs.restartServer', 'notesLs.showUnanswered']);
  const props = pkg.contributes.configuration.properties;
  for (const key of ['notesLs.server.path', 'notesLs.trace.server', 'notesLs.files.associations']) {
    assert.ok(props[key], key);
  }
  assert.deepEqual(props['notesLs.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.equal(pkg.main, './out/extension.js');
  // Activated by the language only (plain text: a .txt file may be notes), never at startup.
  assert.deepEqual(pkg.activationEvents, ['onLanguage:interview-notes', 'onLanguage:plaintext']);
  // No link to a repository that does not exist.
  assert.equal(pkg.repository, undefined);
  assert.ok(!JSON.stringify(pkg).includes('example.invalid'));
});

test('typing * over a selection does not wrap it as *...*', () => {
  const conf = readJson('language-configuration.json');
  assert.ok(!conf.surroundingPairs.some((p: string[]) => p[0] === '*'));
  assert.ok(!conf.autoClosingPairs.some((p: { open: string }) => p.open === '*'));
});

test('grammar: scope name, and every rule has a regex or an include', () => {
  const g = readJson('syntaxes/interview-notes.tmLanguage.json');
  assert.equal(g.scopeName, 'text.interview-notes');
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.name === 'string') {
        o.name.split(/\s+/).forEach((n) => names.add(n));
      }
      if (typeof o.include === 'string' && o.include.startsWith('#')) {
        assert.ok(g.repository[o.include.slice(1)], `missing repository entry ${o.include}`);
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(g);
  for (const scope of [
    'punctuation.definition.question.interview-notes',
    'markup.heading.question.interview-notes',
    'keyword.operator.answer.interview-notes',
    'entity.name.type.term.interview-notes',
    'markup.table.interview-notes',
    'markup.list.unnumbered.interview-notes',
    'markup.bold.interview-notes',
  ]) {
    assert.ok(names.has(scope), scope);
  }
});

test('grammar fixtures: every comment-token line is a well-formed assertion', () => {
  // vscode-tmgrammar-test silently treats a malformed assertion line as source text,
  // which would shift every later line; catch that here.
  const dir = path.join(root, 'test', 'grammar');
  const files = readdirSync(dir).filter((f) => f.endsWith('.notes'));
  assert.ok(files.length >= 3, `fixtures: ${files.join(', ')}`);
  let assertions = 0;
  for (const f of files) {
    const lines = readFileSync(path.join(dir, f), 'utf8').split(/\r?\n/);
    const header = /^(\S+)\s+SYNTAX\s+TEST\s+"text\.interview-notes"/.exec(lines[0]);
    assert.ok(header, `${f}: header`);
    const token = header[1];
    lines.slice(1).forEach((line, i) => {
      if (line.startsWith(token)) {
        const rest = line.slice(token.length);
        assert.match(rest, /^\s*(\^+|<~*-+)(\s+-)?\s+[\w.-]+/, `${f}:${i + 2} is not an assertion: ${line}`);
        assertions++;
      }
    });
  }
  assert.ok(assertions >= 60, `only ${assertions} assertions`);
});
