-- Headless end-to-end test of the notes-ls Neovim integration against a real server.
-- Run through test/run.sh, which sets:
--   NOTES_LS_BIN      the server binary
--   NOTES_LS_MODE     "config" (0.11+: lsp/notes_ls.lua + vim.lsp.enable) or "setup" (require("notes_ls").setup())
--   NOTES_LS_PLUGIN   editors/nvim (already on 'runtimepath')
--   NOTES_LS_FIXTURE  the notes file to open (a copy inside a scratch workspace)
-- Prints "nvim e2e: N passed, M failed" and exits non-zero on any failure.

local TIMEOUT_MS = tonumber(os.getenv("NOTES_LS_E2E_TIMEOUT_MS") or "") or 10000

-- What the fixture contains (test/fixture.notes).
local EXPECT = {
  questions = { "What is Gunicorn?", "Why sign a JWT?", "What does Celery do?", "Which proxy sits in front of the app server?" },
  unanswered_line = "*What does Celery do?",
  hover_term = "Nginx", -- hovered where it appears in "-> Usually Nginx: ..."
  hover_line_prefix = "-> Usually",
  complete_prefix = "Ngin", -- the fixture's last line ends with this partial word
  complete_term = "Nginx",
}

local passed, failed = 0, 0
local function out(msg)
  io.stdout:write(msg .. "\n")
  io.stdout:flush()
end

local function check(name, cond, detail)
  if cond then
    passed = passed + 1
    out("  ok   " .. name)
  else
    failed = failed + 1
    out("  FAIL " .. name .. (detail and (": " .. detail) or ""))
  end
  return cond
end

local function finish()
  out(("nvim e2e: %d passed, %d failed"):format(passed, failed))
  if failed > 0 then
    vim.cmd("cquit 1")
  else
    vim.cmd("qall!")
  end
end

local function inspect(v)
  local s = vim.inspect(v)
  if #s > 600 then
    s = s:sub(1, 600) .. "..."
  end
  return s:gsub("\n", " ")
end

-- Formats `buf` (the current buffer) as a user does: `vim.lsp.buf.format` (0.8+),
-- `formatting_sync` on 0.7. Returns pcall's ok and error.
local function format_buffer(buf)
  return pcall(function()
    if vim.lsp.buf.format then
      vim.lsp.buf.format({ bufnr = buf, timeout_ms = 5000 })
    else
      vim.lsp.buf.formatting_sync(nil, 5000)
    end
  end)
end

local function main()
  local bin = os.getenv("NOTES_LS_BIN")
  local mode = os.getenv("NOTES_LS_MODE") or "setup"
  local fixture = os.getenv("NOTES_LS_FIXTURE")
  local v = vim.version()
  out(("nvim e2e: Neovim %d.%d.%d, mode %s, server %s"):format(v.major, v.minor, v.patch, mode, tostring(bin)))

  if not check("NOTES_LS_BIN is executable", bin and vim.fn.executable(bin) == 1, tostring(bin)) then
    return
  end
  if not check("fixture exists", fixture and vim.loop.fs_stat(fixture) ~= nil, tostring(fixture)) then
    return
  end

  local errors = {}
  local orig_notify = vim.notify
  vim.notify = function(msg, level, o)
    if level and level >= vim.log.levels.ERROR then
      table.insert(errors, msg)
    end
    return orig_notify(msg, level, o)
  end

  if mode == "config" then
    if not check("vim.lsp.config/enable available (Neovim 0.11+)", vim.lsp.config ~= nil and vim.lsp.enable ~= nil) then
      return
    end
    vim.lsp.config("notes_ls", { cmd = { bin } })
    local cfg = vim.lsp.config.notes_ls
    check("lsp/notes_ls.lua found on runtimepath", cfg ~= nil and vim.deep_equal(cfg.filetypes, { "notes" }), inspect(cfg))
    vim.lsp.enable("notes_ls")
  elseif mode == "setup" then
    require("notes_ls").setup({
      cmd = { bin },
      settings = { notesLs = { diagnostics = { ["unanswered-question"] = "warning" } } },
    })
  else
    check("known mode", false, mode)
    return
  end

  vim.cmd("edit " .. vim.fn.fnameescape(fixture))
  local bufnr = vim.api.nvim_get_current_buf()
  check("filetype detected as notes", vim.bo[bufnr].filetype == "notes", vim.bo[bufnr].filetype)

  local notes = require("notes_ls")
  local client
  local attached = vim.wait(TIMEOUT_MS, function()
    client = notes.clients(bufnr)[1]
    return client ~= nil and client.initialized ~= false and type(client.server_capabilities) == "table"
      and next(client.server_capabilities) ~= nil
  end, 50)
  local why = ("no initialized notes-ls client on the buffer after %d ms (client %s)%s"):format(
    TIMEOUT_MS, client and "present" or "absent", #errors > 0 and (": " .. table.concat(errors, " | ")) or "")
  if not check("client attached and initialized", attached and client ~= nil, why) then
    return
  end
  local root = vim.fn.fnamemodify(fixture, ":p:h")
  check("root_dir is the workspace with the marker", client.config.root_dir == root, tostring(client.config.root_dir))

  -- Diagnostics
  local function unanswered()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if d.source == "notes-ls" and code == "unanswered-question" then
        table.insert(found, d)
      end
    end
    return found
  end
  vim.wait(TIMEOUT_MS, function()
    return #unanswered() > 0
  end, 50)
  local diags = unanswered()
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local on_line = false
  for _, d in ipairs(diags) do
    if lines[d.lnum + 1] == EXPECT.unanswered_line then
      on_line = true
    end
  end
  check(
    "unanswered-question diagnostic on " .. EXPECT.unanswered_line,
    on_line,
    "got " .. inspect(vim.tbl_map(function(d)
      return { lnum = d.lnum, code = d.code, source = d.source, message = d.message }
    end, vim.diagnostic.get(bufnr)))
  )

  local uri = vim.uri_from_bufnr(bufnr)
  local function request(method, params)
    local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT_MS)
    if not responses then
      return nil, "no response: " .. tostring(err)
    end
    for _, r in pairs(responses) do
      if r.error then
        return nil, inspect(r.error)
      end
      return r.result, nil
    end
    return nil, "empty response table"
  end

  -- documentSymbol
  local symbols, serr = request("textDocument/documentSymbol", { textDocument = { uri = uri } })
  local names = {}
  local function collect(list)
    for _, s in ipairs(list or {}) do
      table.insert(names, s.name)
      collect(s.children)
    end
  end
  collect(symbols)
  local missing = {}
  for _, q in ipairs(EXPECT.questions) do
    local hit = false
    for _, n in ipairs(names) do
      if n == q or n:find(q, 1, true) or q:find(n, 1, true) == 1 and #n >= #q - 1 then
        hit = true
      end
    end
    if not hit then
      table.insert(missing, q)
    end
  end
  check("documentSymbol names include the fixture's questions", symbols ~= nil and #missing == 0,
    (serr or "") .. " missing " .. inspect(missing) .. " in " .. inspect(names))

  -- hover
  local hline, hcol
  for i, l in ipairs(lines) do
    if l:sub(1, #EXPECT.hover_line_prefix) == EXPECT.hover_line_prefix then
      local s = l:find(EXPECT.hover_term, 1, true)
      if s then
        hline, hcol = i - 1, s -- one character into the word (0-based s-1, +1)
        break
      end
    end
  end
  if check("fixture has the hover target", hline ~= nil) then
    local hover, herr = request("textDocument/hover", {
      textDocument = { uri = uri },
      position = { line = hline, character = hcol },
    })
    local text = ""
    if hover and hover.contents then
      local ok, md = pcall(vim.lsp.util.convert_input_to_markdown_lines, hover.contents)
      text = ok and table.concat(md, "\n") or inspect(hover.contents)
    end
    check("hover on " .. EXPECT.hover_term .. " mentions it", text:lower():find(EXPECT.hover_term:lower(), 1, true) ~= nil,
      (herr or "") .. " got " .. inspect(hover))
  end

  -- completion at the end of the partial word on the last line
  local cline, ccol
  for i = #lines, 1, -1 do
    local l = lines[i]
    if l:sub(-#EXPECT.complete_prefix) == EXPECT.complete_prefix then
      cline, ccol = i - 1, #l
      break
    end
  end
  if check("fixture ends a line with the partial word " .. EXPECT.complete_prefix, cline ~= nil) then
    local result, cerr = request("textDocument/completion", {
      textDocument = { uri = uri },
      position = { line = cline, character = ccol },
      context = { triggerKind = 1 },
    })
    local items = result and (result.items or result) or {}
    local labels, hit = {}, false
    for _, it in ipairs(items) do
      table.insert(labels, it.label)
      local insert = it.insertText or (it.textEdit and it.textEdit.newText) or it.label
      if it.label == EXPECT.complete_term or insert == EXPECT.complete_term then
        hit = true
      end
    end
    check("completion of " .. EXPECT.complete_prefix .. " offers " .. EXPECT.complete_term, hit,
      (cerr or "") .. " got " .. inspect(labels))
  end

  -- :NotesUnanswered
  local ok_cmd, cmd_err = pcall(vim.cmd, "NotesUnanswered")
  local qf = vim.fn.getqflist()
  local qf_hit = false
  for _, item in ipairs(qf) do
    if item.bufnr == bufnr and lines[item.lnum] == EXPECT.unanswered_line then
      qf_hit = true
    end
  end
  check(":NotesUnanswered fills the quickfix list", ok_cmd and qf_hit, tostring(cmd_err) .. " qf " .. inspect(qf))

  -- Formatting, as a user runs it (`vim.lsp.buf.format`, 0.8+; `formatting_sync` on 0.7):
  -- the answer that followed its arrow on one line gets the arrow to itself.
  vim.api.nvim_set_current_buf(bufnr)
  local ok_fmt, fmt_err = format_buffer(bufnr)
  local formatted = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local arrow_alone, answer_below = false, false
  for i, l in ipairs(formatted) do
    if l == "*Why sign a JWT?" and formatted[i + 1] == "->" then
      arrow_alone = true
      answer_below = formatted[i + 2] == "So the server can trust the claims without storing sessions."
    end
  end
  check("formatting puts the arrow on its own line", ok_fmt and arrow_alone and answer_below,
    tostring(fmt_err) .. " " .. inspect(formatted))

  -- Rename a term the notes define (`*What is Gunicorn?`): every mention follows.
  local grow
  for i, l in ipairs(formatted) do
    if l == "*What is Gunicorn?" then
      grow = i
    end
  end
  if check("fixture defines Gunicorn", grow ~= nil) then
    vim.api.nvim_win_set_cursor(0, { grow, 10 })
    local ok_rn, rn_err = pcall(vim.lsp.buf.rename, "Green Unicorn")
    local renamed = vim.wait(5000, function()
      local text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
      return text:find("*What is Green Unicorn?", 1, true) ~= nil
        and text:find("requests to Green Unicorn over", 1, true) ~= nil
        and text:find("Gunicorn", 1, true) == nil
    end, 50)
    check("rename of Gunicorn changes the definition and the mention", ok_rn and renamed,
      tostring(rn_err) .. " " .. inspect(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)))
  end

  -- Many buffers at once (`nvim *.notes`, a session restored): 60 more files
  -- that share a question, each opened with :edit; every buffer must show
  -- the duplicate (the server refreshes the open documents in passes).
  local many = {}
  for i = 1, 60 do
    local path = ("%s/many-%02d.notes"):format(root, i)
    vim.fn.writefile({ "*What is the shared question?", "-> an answer " .. i, "", "*Own question " .. i .. "?", "-> yes" }, path)
    vim.cmd("edit " .. vim.fn.fnameescape(path))
    table.insert(many, vim.api.nvim_get_current_buf())
  end
  local function flagged()
    local n = 0
    for _, b in ipairs(many) do
      for _, d in ipairs(vim.diagnostic.get(b)) do
        local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
        if code == "duplicate-question" then
          n = n + 1
          break
        end
      end
    end
    return n
  end
  vim.wait(TIMEOUT_MS, function()
    return flagged() == #many
  end, 50)
  check("60 buffers opened at once each show the question they share", flagged() == #many,
    ("%d of %d flagged"):format(flagged(), #many))

  -- A file that is not UTF-8, kept as bytes (`++enc=utf-8 ++bad=keep`): Neovim sends those bytes
  -- as they are. The server takes the document (a stray byte stands as U+001A, one column, as
  -- Neovim counts it): the outline and a pushed finding behind the byte are in their places, and
  -- formatting never writes over such a byte: the arrow gets its own line, the table that holds
  -- the byte is left as it is, and the file written keeps its bytes.
  local latin = root .. "/latin1.notes"
  local lf = assert(io.open(latin, "wb"))
  lf:write("*Price of a caf\xe9 au lait at gunicon?\n-> | Item | Price |\n|---|---|\n| caf\xe9 | 2 |\n"
    .. "| tea for two | 3 |\n\n*Why   ask?->Because a stray byte must stay where it is.\n")
  lf:close()
  vim.cmd("edit ++enc=utf-8 ++bad=keep " .. vim.fn.fnameescape(latin))
  local lbuf = vim.api.nvim_get_current_buf()
  -- Typed behind the stray byte, on its line (byte 17).
  vim.api.nvim_buf_set_text(lbuf, 0, 17, 0, 17, { "hot " })
  local first
  vim.wait(TIMEOUT_MS, function()
    local res = vim.lsp.buf_request_sync(lbuf, "textDocument/documentSymbol",
      { textDocument = { uri = vim.uri_from_bufnr(lbuf) } }, 1000)
    for _, r in pairs(res or {}) do
      first = r.result and r.result[1] and r.result[1].name
    end
    return first == "Price of a caf\26 hot au lait at gunicon?"
  end, 100)
  check("a file kept as bytes that are not UTF-8 is read with each byte in its place",
    first == "Price of a caf\26 hot au lait at gunicon?", inspect(first))
  -- The misspelling behind the byte, at its byte column in the buffer (Neovim converts the
  -- server's UTF-8 or UTF-16 column, counting the stray byte as one).
  local want_col = vim.api.nvim_buf_get_lines(lbuf, 0, 1, false)[1]:find("gunicon", 1, true) - 1
  local cols = {}
  vim.wait(TIMEOUT_MS, function()
    cols = {}
    for _, d in ipairs(vim.diagnostic.get(lbuf)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == "misspelled-term" and d.lnum == 0 then
        table.insert(cols, d.col)
      end
    end
    return #cols == 1 and cols[1] == want_col
  end, 50)
  check("its pushed finding behind the byte is in its column", #cols == 1 and cols[1] == want_col,
    ("want %d, got %s"):format(want_col, inspect(cols)))
  local ok_lfmt, lfmt_err = format_buffer(lbuf)
  vim.cmd("silent write!")
  local rf = assert(io.open(latin, "rb"))
  local written = rf:read("*a")
  rf:close()
  local _, kept = written:gsub("caf\xe9", "")
  check("formatting it moves the arrow and keeps every byte that is not UTF-8",
    ok_lfmt and kept == 2 and not written:find("\26", 1, true)
      and written:find("*Price of a caf\xe9 hot au lait at gunicon?\n", 1, true) ~= nil
      and written:find("*Why   ask?\n->\nBecause", 1, true) ~= nil,
    tostring(lfmt_err) .. " " .. inspect(written))

  -- :checkhealth notes_ls (runs notes-ls --version)
  local ok_health, herr = pcall(vim.cmd, "silent checkhealth notes_ls")
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  check(":checkhealth notes_ls reports the version", ok_health and report:find("notes%-ls %d+%.%d+") ~= nil
    and report:find("ERROR") == nil, tostring(herr) .. " " .. report:sub(1, 500))
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  check("e2e script ran without a Lua error", false, err)
end
finish()
