#!/usr/bin/env node
// Self-test helper for the e2e test (not used by CI): an LSP proxy between VS Code and a real
// notes-ls that rewrites traffic, to check that each e2e assertion passes on correct behaviour and
// fails on the bug it is meant to catch, without touching the server.
//
//   NOTES_LS_PROXY_REAL=/path/to/notes-ls NOTES_LS_PROXY_MODE=MODE[,MODE] \
//     bash run.sh notes-ls.vsix /path/to/lsp-proxy.mjs
//
// MODE:
//   fix-config        drop the editor-only keys (server, trace, files.associations) from the
//                     settings VS Code sends, as a server that ignores unknown keys would
//   break-completion  drop textEdit from completion items (VS Code then replaces only the word
//                     at the cursor: "rate lim" -> "rate rate limiting")
//   break-hover       drop hover results
//   break-refresh     swallow the server's workspace/diagnostic/refresh requests (answered here),
//                     so VS Code keeps stale pulled diagnostics after a settings change
//   drop-config-change  never forward workspace/didChangeConfiguration (a server that ignores
//                     setting changes until restarted)
//   break-large-report  drop the last finding of every pulled report of over 1,000 findings (a
//                     large file's report cut short)
import { spawn } from 'node:child_process';

const real = process.env.NOTES_LS_PROXY_REAL;
if (!real) {
  process.stderr.write('lsp-proxy: set NOTES_LS_PROXY_REAL to the notes-ls binary\n');
  process.exit(2);
}
const modes = new Set((process.env.NOTES_LS_PROXY_MODE || '').split(',').filter(Boolean));
const cliArgs = process.argv.slice(2);
if (cliArgs.length && !['lsp', '--stdio'].includes(cliArgs[0])) {
  // CLI subcommands (check, outline, --version) pass straight through.
  spawn(real, cliArgs, { stdio: 'inherit' }).on('exit', (c) => process.exit(c ?? 1));
} else {
  const child = spawn(real, process.argv.slice(2), { stdio: ['pipe', 'pipe', 'inherit'] });
  child.on('exit', (c) => process.exit(c ?? 1));
  const pendingCompletion = new Set();
  const pendingHover = new Set();
  const pendingReports = new Set();
  const cutLarge = (report) => {
    if (report && Array.isArray(report.items) && report.items.length > 1000) report.items.pop();
  };

  const stripSettings = (s) => {
    if (!s || typeof s !== 'object') return s;
    const ls = s.notesLs && typeof s.notesLs === 'object' ? s.notesLs : s;
    delete ls.server;
    delete ls.trace;
    if (ls.files && typeof ls.files === 'object') delete ls.files.associations;
    return s;
  };

  const fromClient = (msg) => {
    if (msg.method === 'workspace/didChangeConfiguration' && modes.has('drop-config-change')) return null;
    if (msg.method === 'textDocument/completion') pendingCompletion.add(msg.id);
    if (msg.method === 'textDocument/hover') pendingHover.add(msg.id);
    if (/^(textDocument|workspace)\/diagnostic$/.test(msg.method || '')) pendingReports.add(msg.id);
    if (modes.has('fix-config')) {
      if (msg.method === 'initialize' && msg.params) stripSettings(msg.params.initializationOptions);
      if (msg.method === 'workspace/didChangeConfiguration' && msg.params) stripSettings(msg.params.settings);
      if (!msg.method && Array.isArray(msg.result)) msg.result.forEach(stripSettings);
    }
    return msg;
  };
  const fromServer = (msg) => {
    if (!msg.method && pendingCompletion.delete(msg.id) && modes.has('break-completion') && msg.result) {
      const items = Array.isArray(msg.result) ? msg.result : msg.result.items || [];
      for (const it of items) {
        if (it.textEdit) {
          it.insertText = it.textEdit.newText;
          delete it.textEdit;
        }
      }
    }
    if (!msg.method && pendingHover.delete(msg.id) && modes.has('break-hover')) msg.result = null;
    if (modes.has('break-large-report')) {
      // A document's report, a workspace report, or a workspace report's partial result.
      const r = !msg.method && pendingReports.delete(msg.id) ? msg.result
        : msg.method === '$/progress' && msg.params ? msg.params.value : null;
      cutLarge(r);
      if (r && Array.isArray(r.items)) r.items.forEach(cutLarge);
    }
    if (msg.method === 'workspace/diagnostic/refresh' && modes.has('break-refresh')) {
      send(child.stdin, { jsonrpc: '2.0', id: msg.id, result: null });
      return null;
    }
    return msg;
  };

  const send = (output, msg) => {
    const out = Buffer.from(JSON.stringify(msg), 'utf8');
    output.write(`Content-Length: ${out.length}\r\n\r\n`);
    output.write(out);
  };
  const pipe = (input, output, transform) => {
    let buf = Buffer.alloc(0);
    input.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const sep = buf.indexOf('\r\n\r\n');
        if (sep < 0) return;
        const m = /Content-Length: *(\d+)/i.exec(buf.subarray(0, sep).toString('ascii'));
        const len = m ? Number(m[1]) : 0;
        if (buf.length < sep + 4 + len) return;
        const body = buf.subarray(sep + 4, sep + 4 + len).toString('utf8');
        buf = buf.subarray(sep + 4 + len);
        const msg = transform(JSON.parse(body));
        if (msg) send(output, msg);
      }
    });
    input.on('end', () => output.end());
  };
  pipe(process.stdin, child.stdin, fromClient);
  pipe(child.stdout, process.stdout, fromServer);
}
