-- Filetype `notes` for interview/study notes (*.notes). Works on Neovim 0.7+.
-- (ftdetect files are sourced inside the `filetypedetect` augroup.)
if vim.filetype and vim.filetype.add and vim.fn.has("nvim-0.8") == 1 then
  vim.filetype.add({ extension = { notes = "notes" } })
else
  vim.cmd([[autocmd BufRead,BufNewFile *.notes setfiletype notes]])
end
