// The command lines the drill and export commands run in a terminal.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { drillArgs, exportArgs, EXPORT_FORMATS } from '../../src/study';

test('drill runs on the workspace or on the file of a code lens', () => {
  assert.deepEqual(drillArgs(), ['drill']);
  assert.deepEqual(drillArgs('/w/web.notes'), ['drill', '/w/web.notes']);
});

test('export writes each format to its own file', () => {
  assert.deepEqual(exportArgs('anki'), ['export', '--to', 'anki', '-o', 'notes-anki.txt']);
  const files = new Set(EXPORT_FORMATS.map((f) => exportArgs(f)[4]));
  assert.equal(files.size, EXPORT_FORMATS.length);
});
