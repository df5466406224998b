-- Commands that work whichever way the server was started (setup() or vim.lsp.enable).
if vim.g.loaded_notes_ls then
  return
end
vim.g.loaded_notes_ls = 1

vim.api.nvim_create_user_command("NotesUnanswered", function()
  require("notes_ls").unanswered()
end, { desc = "notes-ls: list unanswered questions in the quickfix list" })

vim.api.nvim_create_user_command("NotesRestart", function()
  require("notes_ls").restart()
end, { desc = "notes-ls: restart the language server" })

vim.api.nvim_create_user_command("NotesDrill", function(a)
  require("notes_ls").drill(a.fargs)
end, { nargs = "*", complete = "file", desc = "notes-ls: spaced-repetition drill in a terminal" })

vim.api.nvim_create_user_command("NotesExport", function(a)
  require("notes_ls").export(a.args)
end, { nargs = "?", desc = "notes-ls: export the notes as flashcards (anki, csv, json, markdown)" })
