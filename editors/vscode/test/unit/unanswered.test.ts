import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  collectUnanswered,
  countUnanswered,
  DiagnosticLike,
  diagnosticCode,
  isUnanswered,
  questionTextFromLine,
  statusView,
  toQuickPickItems,
} from '../../src/unanswered';

function diag(line: number, code: DiagnosticLike['code'], source = 'notes-ls', message = 'Question has no answer'): DiagnosticLike {
  return { message, source, code, range: { start: { line, character: 0 } } };
}

const docs: Record<string, string[]> = {
  'file:///w/b.notes': ['*What is CSRF?', '->', 'text', '*Why JWT?->', '', '*Plain?'],
  'file:///w/a.notes': ['intro', '*What is WSGI?'],
};

const all: Array<[string, DiagnosticLike[]]> = [
  [
    'file:///w/b.notes',
    [
      diag(5, 'unanswered-question'),
      diag(3, { value: 'unanswered-question', target: 'https://example.invalid' }),
      diag(0, 'duplicate-question'),
      diag(1, 'unanswered-question', 'other-linter'),
    ],
  ],
  ['file:///w/a.notes', [diag(1, 'unanswered-question', 'notes-ls', 'Unanswered: What is WSGI?')]],
  ['file:///w/c.py', [diag(4, 'E501', 'flake8')]],
  ['file:///w/empty.notes', []],
];

test('diagnosticCode handles strings, numbers and {value, target}', () => {
  assert.equal(diagnosticCode('x'), 'x');
  assert.equal(diagnosticCode(42), '42');
  assert.equal(diagnosticCode({ value: 'unanswered-question', target: {} }), 'unanswered-question');
  assert.equal(diagnosticCode(undefined), undefined);
});

test('isUnanswered needs both the notes-ls source and the unanswered-question code', () => {
  assert.equal(isUnanswered(diag(0, 'unanswered-question')), true);
  assert.equal(isUnanswered(diag(0, 'unanswered-question', 'other')), false);
  assert.equal(isUnanswered(diag(0, 'empty-question')), false);
  assert.equal(isUnanswered({ message: 'm', range: { start: { line: 0, character: 0 } } }), false);
});

test('countUnanswered counts over all resources', () => {
  assert.equal(countUnanswered(all), 3);
  assert.equal(countUnanswered([]), 0);
});

test('questionTextFromLine strips the marker and a trailing arrow', () => {
  assert.equal(questionTextFromLine('*What is CSRF?'), 'What is CSRF?');
  assert.equal(questionTextFromLine('*Why JWT?->'), 'Why JWT?');
  assert.equal(questionTextFromLine('*Why JWT? ->  '), 'Why JWT?');
  assert.equal(questionTextFromLine('Plain question'), 'Plain question');
  assert.equal(questionTextFromLine('**bold**'), '**bold**');
  assert.equal(questionTextFromLine('*'), undefined);
  assert.equal(questionTextFromLine('*->'), undefined);
});

test('collectUnanswered filters, labels from the document and sorts by path then line', () => {
  const entries = collectUnanswered(all, {
    pathOf: (u) => u.replace('file:///w/', ''),
    lineText: (u, line) => docs[u]?.[line],
  });
  assert.deepEqual(
    entries.map((e) => [e.path, e.line, e.question]),
    [
      ['a.notes', 1, 'What is WSGI?'],
      ['b.notes', 3, 'Why JWT?'],
      ['b.notes', 5, 'Plain?'],
    ],
  );
  assert.equal(entries[0].uri, 'file:///w/a.notes');
});

test('collectUnanswered falls back to the diagnostic message without document text', () => {
  const entries = collectUnanswered(all, { pathOf: (u) => u });
  assert.equal(entries.length, 3);
  assert.equal(entries[0].question, 'Unanswered: What is WSGI?');
  assert.equal(entries[1].question, 'Question has no answer');
});

test('toQuickPickItems shows question, path:line (1-based) and the message as detail', () => {
  const entries = collectUnanswered(all, {
    pathOf: (u) => u.replace('file:///w/', ''),
    lineText: (u, line) => docs[u]?.[line],
  });
  const items = toQuickPickItems(entries);
  assert.equal(items.length, 3);
  assert.equal(items[0].label, '$(question) What is WSGI?');
  assert.equal(items[0].description, 'a.notes:2');
  assert.equal(items[0].detail, 'Unanswered: What is WSGI?');
  assert.equal(items[2].description, 'b.notes:6');
  assert.equal(items[2].entry.line, 5);
});

test('statusView text says what the count covers', () => {
  assert.equal(statusView(0, 'workspace').text, '$(check) 0 unanswered (workspace)');
  assert.equal(statusView(1, 'open files').text, '$(warning) 1 unanswered (open files)');
  assert.equal(statusView(7, 'workspace').text, '$(warning) 7 unanswered (workspace)');
  assert.match(statusView(1, 'open files').tooltip, /1 unanswered question in the open notes files/);
  assert.match(statusView(2, 'workspace').tooltip, /2 unanswered questions in the workspace's notes files/);
});
