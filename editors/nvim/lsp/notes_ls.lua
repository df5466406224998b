-- Config for Neovim 0.11+:  vim.lsp.enable("notes_ls")
-- Override pieces with vim.lsp.config("notes_ls", { cmd = { "/path/to/notes-ls" }, settings = { notesLs = { ... } } }).
-- (The README's set-up, require("notes_ls").setup(), also maps K/gd/gr/<leader>ca; this one
-- keeps Neovim's own 0.11 maps: K, grr, gra, and CTRL-] for definition.)
return {
  cmd = { "notes-ls" },
  filetypes = { "notes" },
  -- The nearest folder with .git or notes-ls.toml, else the file's own folder (absolute), so
  -- the workspace is never empty.
  root_dir = function(bufnr, on_dir)
    on_dir(require("notes_ls").root_dir(bufnr))
  end,
  settings = {
    notesLs = vim.empty_dict(), -- vim.empty_dict(): sent as {} rather than []
  },
  on_attach = function(client, bufnr)
    require("notes_ls").on_attach(client, bufnr, { keymaps = false })
  end,
  -- The server also reads its settings from initializationOptions ({ notesLs = {...} }):
  -- send whatever `settings` holds after the user's vim.lsp.config() overrides.
  before_init = function(params, config)
    local settings = config.settings or {}
    if type(settings.notesLs) ~= "table" or next(settings.notesLs) == nil then
      settings.notesLs = vim.empty_dict()
    end
    params.initializationOptions = config.init_options or settings
  end,
}
