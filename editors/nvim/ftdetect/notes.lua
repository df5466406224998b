-- Filetype `notes` for interview/study notes: every *.notes file, and a .txt file whose first
-- lines look like notes (a `*question` line and a `->` arrow; the real notes people keep are
-- often .txt). Works on Neovim 0.7+. (ftdetect files are sourced inside the `filetypedetect`
-- augroup.)
if vim.filetype and vim.filetype.add and vim.fn.has("nvim-0.8") == 1 then
  vim.filetype.add({
    extension = { notes = "notes" },
    pattern = {
      -- Checked before the `txt` extension; nil falls through to `text`.
      [".*%.txt"] = function(_, bufnr)
        return require("notes_ls").detect(bufnr)
      end,
    },
  })
else
  vim.cmd([[autocmd BufRead,BufNewFile *.notes setfiletype notes]])
  vim.cmd([[autocmd BufRead *.txt lua if require("notes_ls").detect(0) then vim.bo.filetype = "notes" end]])
end
