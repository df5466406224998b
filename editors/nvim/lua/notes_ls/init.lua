-- notes-ls client for Neovim 0.7+.
--
--   require("notes_ls").setup()          -- every option below is optional
--   require("notes_ls").setup({
--     cmd = { "notes-ls" },            -- the server speaks LSP on stdio when started without arguments
--     filetypes = { "notes" },
--     root_markers = { ".git", "notes-ls.toml" },   -- else the file's own folder
--     settings = { notesLs = { diagnostics = { ["unanswered-question"] = "warning" } } },
--     keymaps = true,                  -- false: no buffer-local maps; or a table overriding keys
--   })
--
-- On Neovim 0.8+ the server is started with vim.lsp.start(); on 0.7 with
-- vim.lsp.start_client() + vim.lsp.buf_attach_client() (one client per root directory).
-- On 0.11+ you can instead use the lsp/notes_ls.lua config with vim.lsp.enable("notes_ls").
--
-- In each notes buffer setup() maps K (hover), gd (definition), gr (references) and
-- <leader>ca (code action), sets 'omnifunc' to this module's completion (which replaces the
-- words the server says, so multi-word terms insert whole on every version), and sorts
-- diagnostics by severity so the sign of a warning is never hidden by a hint.

local M = {}

M.name = "notes_ls"
M.source = "notes-ls"
M.unanswered_code = "unanswered-question"

local defaults = {
  cmd = { "notes-ls" },
  filetypes = { "notes" },
  root_markers = { ".git", "notes-ls.toml" },
  -- workspace.diagnostics: the server also publishes the findings of files nobody has open,
  -- so :NotesUnanswered and the diagnostic lists cover the whole notes folder.
  settings = { notesLs = { workspace = { diagnostics = true } } },
  keymaps = true,
  init_options = nil, -- default: the settings table ({ notesLs = {...} })
  on_attach = nil,
  capabilities = nil,
  autostart = true,
}

--- The options in force after setup() (nil before).
M.config = nil

local legacy_clients = {} -- root_dir -> client id (Neovim 0.7 path)
local augroup = nil

local function tbl_extend(base, extra)
  return vim.tbl_deep_extend("force", vim.deepcopy(base), extra or {})
end

local function buf_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    return vim.loop.cwd()
  end
  return vim.fn.fnamemodify(name, ":p:h")
end

--- Looks upwards from `start` for a directory containing one of `markers`.
function M.find_root(start, markers)
  local dir = start
  while dir and dir ~= "" do
    for _, marker in ipairs(markers or {}) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      break
    end
    dir = parent
  end
  return nil
end

function M.root_dir(bufnr, markers)
  local start = buf_dir(bufnr)
  return M.find_root(start, markers or (M.config or defaults).root_markers) or start
end

--- Makes sure `settings.notesLs` is sent as a JSON object even when empty
--- (an empty Lua table would be encoded as `[]`). Mutates and returns `settings`.
function M.normalize_settings(settings)
  if type(settings) ~= "table" then
    settings = {}
  end
  if type(settings.notesLs) ~= "table" or next(settings.notesLs) == nil then
    settings.notesLs = vim.empty_dict()
  end
  return settings
end

--- The keys setup() maps in a notes buffer (override any with `keymaps = { hover = "gh" }`,
--- switch one off with `false`, or all with `keymaps = false`).
M.default_keymaps = {
  hover = "K",
  definition = "gd",
  references = "gr",
  code_action = "<leader>ca",
}

--- Buffer-local maps and options for a notes buffer with the client attached.
function M.on_attach(client, bufnr, opts)
  opts = opts or M.config or defaults
  vim.bo[bufnr].omnifunc = "v:lua.require'notes_ls'.omnifunc"
  M.sort_by_severity(client.id)
  M.code_lenses(client, bufnr, opts)
  if opts.keymaps == false then
    return
  end
  local keys = vim.tbl_extend("force", M.default_keymaps, type(opts.keymaps) == "table" and opts.keymaps or {})
  local actions = {
    hover = vim.lsp.buf.hover,
    definition = vim.lsp.buf.definition,
    references = vim.lsp.buf.references,
    code_action = vim.lsp.buf.code_action,
  }
  for name, fn in pairs(actions) do
    local lhs = keys[name]
    if lhs then
      -- nowait: Neovim 0.11's global gr* maps would otherwise delay `gr`.
      vim.keymap.set("n", lhs, fn, { buffer = bufnr, nowait = true, desc = "notes-ls: " .. name })
    end
  end
end

--- Sorts the client's diagnostics by severity (signs, virtual text), in both of its namespaces.
function M.sort_by_severity(client_id)
  local get_ns = vim.lsp.diagnostic and vim.lsp.diagnostic.get_namespace
  if not get_ns then
    return
  end
  for _, is_pull in ipairs({ false, true }) do
    local ok, ns = pcall(get_ns, client_id, is_pull)
    if ok and ns then
      vim.diagnostic.config({ severity_sort = true }, ns)
    end
  end
end

--- Whether `lines` (the start of a file) look like notes: a `*question` line and an arrow.
function M.looks_like_notes(lines)
  local question, arrow = false, false
  for _, line in ipairs(lines) do
    if line:match("^%*[^%*%s]") then
      question = true
    end
    if line:match("^%s*%->") or line:match("%->%s*$") then
      arrow = true
    end
    if question and arrow then
      return true
    end
  end
  return false
end

--- For filetype detection of `.txt` files: "notes" when the buffer's first 100 lines look like notes.
function M.detect(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if M.looks_like_notes(vim.api.nvim_buf_get_lines(bufnr, 0, 100, false)) then
    return "notes"
  end
  return nil
end

local function byte_col(line, character, encoding)
  if encoding == "utf-8" then
    return math.min(character, #line)
  end
  local ok, col = pcall(vim.str_byteindex, line, character, encoding == "utf-16")
  if ok and col then
    return col
  end
  return #line
end

local function snippet_text(item)
  local text = (item.textEdit and item.textEdit.newText) or item.insertText or item.label
  if item.insertTextFormat == 2 then
    -- The server's snippets are either plain text escaped, or the new-entry template.
    text = text:gsub("%${%d+:([^}]*)}", "%1"):gsub("%$%d+", ""):gsub("\\([%$}\\])", "%1")
  end
  return text
end

local pending_items = {}

--- 'omnifunc' for notes buffers: asks the server, starts the completion where the server's
--- edit starts (several words back for `rate lim`) and inserts its text whole.
function M.omnifunc(findstart, base)
  local bufnr = vim.api.nvim_get_current_buf()
  if findstart == 1 then
    pending_items = {}
    local client = M.clients(bufnr)[1]
    if not client then
      return -3
    end
    local encoding = client.offset_encoding or "utf-16"
    local row, col = unpack(vim.api.nvim_win_get_cursor(0))
    local line = vim.api.nvim_get_current_line()
    local params = vim.lsp.util.make_position_params(0, encoding)
    local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/completion", params, 2000) or {}
    local result = responses[client.id] and responses[client.id].result
    local items = result and (result.items or result) or {}
    local start = nil
    for _, item in ipairs(items) do
      local range = item.textEdit and (item.textEdit.range or item.textEdit.replace)
      if range and range.start.line == row - 1 then
        start = byte_col(line, range.start.character, encoding)
        break
      end
    end
    pending_items = items
    if not start then
      start = vim.fn.match(line:sub(1, col), "\\k*$")
    end
    return start
  end
  local out = {}
  local typed = base:lower()
  for _, item in ipairs(pending_items) do
    local filter = (item.filterText or item.label):lower()
    if typed == "" or filter:sub(1, #typed) == typed then
      local doc = item.documentation
      table.insert(out, {
        word = snippet_text(item),
        abbr = item.label,
        menu = item.detail or "",
        info = type(doc) == "table" and doc.value or doc or "",
        icase = 1,
        dup = 1,
        empty = 1,
      })
    end
  end
  return out
end

local function client_config(opts, root)
  local settings = M.normalize_settings(opts.settings)
  return {
    name = M.name,
    cmd = opts.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    settings = settings,
    init_options = opts.init_options or settings,
    capabilities = opts.capabilities or vim.lsp.protocol.make_client_capabilities(),
    on_attach = function(client, bufnr)
      M.on_attach(client, bufnr, opts)
      if opts.on_attach then
        opts.on_attach(client, bufnr)
      end
    end,
    handlers = opts.handlers,
  }
end

local function is_executable(cmd)
  return type(cmd) == "table" and cmd[1] ~= nil and vim.fn.executable(cmd[1]) == 1
end

local function notify_missing(cmd)
  local bin = type(cmd) == "table" and cmd[1] or tostring(cmd)
  vim.notify(
    ("notes-ls: server binary %q not found or not executable. Install it from the notes-ls repository "
      .. "with `cargo install --path .`, or pass cmd = { '/path/to/notes-ls' } to require('notes_ls').setup()."):format(bin),
    vim.log.levels.ERROR
  )
end

--- Starts (or reuses) the server for `bufnr` and attaches it. Returns the client id or nil.
function M.start(bufnr, opts)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  opts = opts or M.config or defaults
  if not is_executable(opts.cmd) then
    if not M._warned_missing then
      M._warned_missing = true
      notify_missing(opts.cmd)
    end
    return nil
  end
  local root = M.root_dir(bufnr, opts.root_markers)
  local config = client_config(opts, root)

  if vim.lsp.start and not opts._force_legacy then
    -- Neovim 0.8+: reuses a running client with the same name and root_dir.
    return vim.lsp.start(config, { bufnr = bufnr })
  end

  -- Neovim 0.7: manage one client per root ourselves.
  local id = legacy_clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    if not id then
      return nil
    end
    legacy_clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Clients of this server attached to `bufnr` (all Neovim versions).
function M.clients(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local out = {}
  if vim.lsp.get_clients then
    out = vim.lsp.get_clients({ bufnr = bufnr })
  else
    for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
      table.insert(out, c)
    end
  end
  local mine = {}
  for _, c in ipairs(out) do
    if c.name == M.name or c.name == M.source then
      table.insert(mine, c)
    end
  end
  return mine
end

local function diag_code(d)
  if d.code ~= nil then
    return d.code
  end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code or nil
end

local function question_text(bufnr, lnum)
  if not vim.api.nvim_buf_is_loaded(bufnr) then
    return nil
  end
  local line = vim.api.nvim_buf_get_lines(bufnr, lnum, lnum + 1, false)[1]
  if not line then
    return nil
  end
  line = line:gsub("^%s+", ""):gsub("%s+$", "")
  if line:sub(1, 1) == "*" and line:sub(2, 2) ~= "*" then
    line = line:sub(2)
  end
  line = line:gsub("%s*%->%s*$", "")
  return line ~= "" and line or nil
end

--- unanswered-question diagnostics of notes-ls, as quickfix items sorted by file and line.
--- `bufnr` nil: every buffer.
function M.unanswered_items(bufnr)
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == M.source and diag_code(d) == M.unanswered_code then
      table.insert(items, {
        bufnr = d.bufnr,
        lnum = d.lnum + 1,
        col = (d.col or 0) + 1,
        text = question_text(d.bufnr, d.lnum) or d.message,
        type = "W",
      })
    end
  end
  table.sort(items, function(a, b)
    local fa, fb = vim.api.nvim_buf_get_name(a.bufnr), vim.api.nvim_buf_get_name(b.bufnr)
    if fa ~= fb then
      return fa < fb
    end
    return a.lnum < b.lnum
  end)
  return items
end

--- What the diagnostics cover: the whole workspace when the server publishes the files nobody
--- has open (setup()'s default), else the open files.
function M.scope()
  local settings = (M.config or defaults).settings or {}
  local ws = type(settings.notesLs) == "table" and settings.notesLs.workspace
  if type(ws) == "table" and ws.diagnostics == true then
    return "the workspace"
  end
  return "open files"
end

--- :NotesUnanswered — fills the quickfix list with unanswered questions and opens it.
function M.unanswered(opts)
  opts = opts or {}
  local items = M.unanswered_items(nil)
  local scope = M.scope()
  vim.fn.setqflist({}, " ", { title = "notes-ls: unanswered questions in " .. scope, items = items })
  if #items == 0 then
    vim.notify("notes-ls: no unanswered questions in " .. scope, vim.log.levels.INFO)
    if not opts.open_when_empty then
      return items
    end
  end
  vim.cmd("copen")
  return items
end

--- Study code lenses ("24 questions · 3 unanswered · 5 due"), refreshed as Neovim does not
--- by itself; `settings = { notesLs = { codeLens = false } }` turns them off.
function M.code_lenses(client, bufnr, opts)
  local settings = (opts.settings or {}).notesLs or {}
  local caps = client.server_capabilities or {}
  if settings.codeLens == false or not caps.codeLensProvider or not vim.lsp.codelens then
    return
  end
  local function refresh()
    -- 0.10+ takes the buffer; before, it refreshes the current one.
    if not pcall(vim.lsp.codelens.refresh, { bufnr = bufnr }) then
      pcall(vim.lsp.codelens.refresh)
    end
  end
  vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "BufWritePost", "FocusGained" }, {
    buffer = bufnr,
    callback = refresh,
    desc = "notes-ls: refresh code lenses",
  })
  refresh()
end

--- Runs `notes-ls ARGS` in a terminal split, in the notes root of the current buffer.
function M.terminal(args)
  local cmd = vim.deepcopy((M.config or defaults).cmd)
  vim.list_extend(cmd, args)
  local root = M.root_dir(0)
  vim.cmd("botright split")
  vim.cmd("enew")
  vim.fn.termopen(cmd, { cwd = root })
  vim.cmd("startinsert")
end

--- :NotesDrill [PATH...] — a spaced-repetition drill (`notes-ls drill`).
function M.drill(paths)
  M.terminal(vim.list_extend({ "drill" }, paths or {}))
end

--- :NotesExport [anki|csv|json|markdown] — writes the cards beside the notes.
M.export_files = { anki = "notes-anki.txt", csv = "notes-cards.csv", json = "notes-cards.jsonl", markdown = "notes-cards.md" }
function M.export(format)
  format = (format and format ~= "") and format or "anki"
  local file = M.export_files[format]
  if not file then
    vim.notify("notes-ls: export formats are anki, csv, json, markdown", vim.log.levels.ERROR)
    return
  end
  M.terminal({ "export", "--to", format, "-o", file })
end

-- A code lens runs the client command notesLs.drill on its file.
vim.lsp.commands["notesLs.drill"] = function(command)
  local file = command.arguments and command.arguments[1]
  M.drill(type(file) == "string" and { file } or {})
end

function M.create_commands()
  vim.api.nvim_create_user_command("NotesUnanswered", function()
    M.unanswered()
  end, { desc = "notes-ls: list the unanswered questions in the quickfix list" })
  vim.api.nvim_create_user_command("NotesRestart", function()
    M.restart()
  end, { desc = "notes-ls: restart the language server" })
  vim.api.nvim_create_user_command("NotesDrill", function(a)
    M.drill(a.fargs)
  end, { nargs = "*", complete = "file", desc = "notes-ls: spaced-repetition drill in a terminal" })
  vim.api.nvim_create_user_command("NotesExport", function(a)
    M.export(a.args)
  end, {
    nargs = "?",
    complete = function()
      return { "anki", "csv", "json", "markdown" }
    end,
    desc = "notes-ls: export the notes as flashcards",
  })
end

--- Stops every notes-ls client and starts them again for the notes buffers.
function M.restart()
  local bufs = {}
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if #M.clients(buf) > 0 then
      table.insert(bufs, buf)
    end
  end
  local seen = {}
  for _, buf in ipairs(bufs) do
    for _, c in ipairs(M.clients(buf)) do
      if not seen[c.id] then
        seen[c.id] = true
        vim.lsp.stop_client(c.id)
      end
    end
  end
  legacy_clients = {}
  vim.defer_fn(function()
    for _, buf in ipairs(bufs) do
      if vim.api.nvim_buf_is_valid(buf) then
        if M.config then
          M.start(buf)
        else
          -- Started through vim.lsp.enable("notes_ls") (0.11+): let its FileType hook attach again.
          pcall(vim.api.nvim_exec_autocmds, "FileType", { group = "nvim.lsp.enable", buffer = buf })
        end
      end
    end
  end, 500)
end

function M.setup(opts)
  M.config = tbl_extend(defaults, opts)
  M._warned_missing = false
  M.create_commands()
  if not M.config.autostart then
    return
  end
  augroup = vim.api.nvim_create_augroup("notes_ls", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = augroup,
    pattern = M.config.filetypes,
    callback = function(args)
      M.start(args.buf)
    end,
    desc = "notes-ls: start/attach the language server",
  })
  -- Buffers that already have the filetype (setup() called late).
  local wanted = {}
  for _, ft in ipairs(M.config.filetypes) do
    wanted[ft] = true
  end
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and wanted[vim.bo[buf].filetype] then
      M.start(buf)
    end
  end
end

return M
