-- :checkhealth notes_ls
local M = {}

-- vim.health.* on 0.10+, vim.health.report_* on 0.8/0.9, require("health").report_* on 0.7.
local function reporter()
  local h = vim.health
  if h and h.start then
    return h
  end
  local legacy = (h and h.report_start) and h or require("health")
  return {
    start = legacy.report_start,
    ok = legacy.report_ok,
    info = legacy.report_info,
    warn = legacy.report_warn,
    error = legacy.report_error,
  }
end

--- The command notes-ls would be started with, and where that came from.
function M.server_cmd()
  local ok_mod, notes = pcall(require, "notes_ls")
  if ok_mod and notes.config and type(notes.config.cmd) == "table" then
    return notes.config.cmd, "require('notes_ls').setup({ cmd = ... })"
  end
  if vim.lsp.config then
    local ok_cfg, cfg = pcall(function()
      return vim.lsp.config.notes_ls
    end)
    if ok_cfg and cfg and type(cfg.cmd) == "table" then
      return cfg.cmd, "vim.lsp.config('notes_ls')"
    end
  end
  return { "notes-ls" }, "default (notes-ls on PATH)"
end

function M.check()
  local health = reporter()
  health.start("notes-ls")

  local cmd, from = M.server_cmd()
  local bin = cmd[1]
  health.info(("server command: %s (from %s)"):format(table.concat(cmd, " "), from))

  local path = vim.fn.exepath(bin)
  if path == "" then
    health.error(("%q not found or not executable"):format(bin), {
      "Install it from a checkout of the notes-ls repository: cargo install --path .",
      "Or point the plugin at a binary: require('notes_ls').setup({ cmd = { '/path/to/notes-ls' } })",
      "(on Neovim 0.11+: vim.lsp.config('notes_ls', { cmd = { '/path/to/notes-ls' } }))",
    })
    return
  end
  health.ok("found " .. path)

  -- systemlist() merges stderr in; look for the version line among all lines.
  local lines = vim.fn.systemlist({ path, "--version" })
  local version
  for _, l in ipairs(lines) do
    l = l:gsub("\r", "")
    if l:match("^notes%-ls %d+%.%d+") then
      version = l
      break
    end
  end
  if vim.v.shell_error ~= 0 then
    health.error(("`%s --version` exited with %d: %s"):format(path, vim.v.shell_error, table.concat(lines, " / ")))
  elseif version then
    health.ok(version)
  else
    health.warn(("`%s --version` printed no 'notes-ls X.Y.Z' line: %q"):format(path, table.concat(lines, " / ")))
  end

  local ok_mod, notes = pcall(require, "notes_ls")
  if ok_mod then
    local clients = {}
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      for _, c in ipairs(notes.clients(buf)) do
        clients[c.id] = c
      end
    end
    local n = vim.tbl_count(clients)
    if n > 0 then
      health.ok(("%d notes-ls client(s) running"):format(n))
    else
      health.info("no notes-ls client running (open a *.notes file to start one)")
    end
  end
end

return M
