-- Config for Neovim 0.11+:  vim.lsp.enable("notes_ls")
-- Override pieces with vim.lsp.config("notes_ls", { cmd = { "/path/to/notes-ls" }, settings = { notesLs = { ... } } }).
return {
  cmd = { "notes-ls" },
  filetypes = { "notes" },
  root_markers = { "notes-ls.toml", ".git" },
  settings = {
    notesLs = vim.empty_dict(), -- vim.empty_dict(): sent as {} rather than []
  },
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
