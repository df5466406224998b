-- notes-ls client for Neovim 0.7+.
--
--   require("notes_ls").setup({
--     cmd = { "notes-ls" },            -- the server speaks LSP on stdio when started without arguments
--     filetypes = { "notes" },
--     root_markers = { "notes-ls.toml", ".git" },
--     settings = { notesLs = { diagnostics = { ["unanswered-question"] = "warning" } } },
--   })
--
-- On Neovim 0.8+ the server is started with vim.lsp.start(); on 0.7 with
-- vim.lsp.start_client() + vim.lsp.buf_attach_client() (one client per root directory).
-- On 0.11+ you can instead use the lsp/notes_ls.lua config with vim.lsp.enable("notes_ls").

local M = {}

M.name = "notes_ls"
M.source = "notes-ls"
M.unanswered_code = "unanswered-question"

local defaults = {
  cmd = { "notes-ls" },
  filetypes = { "notes" },
  root_markers = { "notes-ls.toml", ".git" },
  settings = { notesLs = vim.empty_dict() },
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
    on_attach = opts.on_attach,
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
  if vim.bo[bufnr].omnifunc == "" then
    vim.bo[bufnr].omnifunc = "v:lua.vim.lsp.omnifunc"
  end
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

--- :NotesUnanswered — fills the quickfix list with unanswered questions and opens it.
function M.unanswered(opts)
  opts = opts or {}
  local items = M.unanswered_items(nil)
  vim.fn.setqflist({}, " ", { title = "notes-ls: unanswered questions", items = items })
  if #items == 0 then
    vim.notify("notes-ls: no unanswered questions", vim.log.levels.INFO)
    if not opts.open_when_empty then
      return items
    end
  end
  vim.cmd("copen")
  return items
end

function M.create_commands()
  vim.api.nvim_create_user_command("NotesUnanswered", function()
    M.unanswered()
  end, { desc = "notes-ls: list unanswered questions in the quickfix list" })
  vim.api.nvim_create_user_command("NotesRestart", function()
    M.restart()
  end, { desc = "notes-ls: restart the language server" })
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
