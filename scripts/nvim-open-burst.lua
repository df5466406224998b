-- A burst of openings in a real Neovim: every notes file of DIR opened in a buffer, one after
-- another, then the time until each buffer shows the duplicate question its files share, and the
-- server's CPU time then and 3 s later (figures in docs/performance.md).
--   N=300; mkdir -p /tmp/nvburst; for i in $(seq -w 1 $N); do
--     printf '*What is the shared question?\n-> an answer %s\n\n*Own question %s?\n-> yes\n' $i $i >/tmp/nvburst/n$i.notes; done
--   BIN=target/release/notes-ls MODE=config|setup DIR=/tmp/nvburst nvim --headless -u NONE -c "luafile scripts/nvim-open-burst.lua"
-- MODE=config (Neovim 0.11+: vim.lsp.config) or setup (require("notes_ls").setup(), 0.7 too).
local bin, mode, dir = os.getenv("BIN"), os.getenv("MODE"), os.getenv("DIR") or "/tmp/nvburst"
vim.opt.rtp:prepend(vim.fn.getcwd() .. "/editors/nvim")
vim.cmd("filetype plugin on"); vim.cmd("runtime plugin/*.lua"); vim.cmd("runtime plugin/*.vim")
if mode == "config" then vim.lsp.config("notes_ls", { cmd = { bin } }); vim.lsp.enable("notes_ls")
else require("notes_ls").setup({ cmd = { bin } }) end
local start = (vim.uv or vim.loop).hrtime()
local files = vim.fn.glob(dir .. "/*.notes", false, true)
local bufs = {}
for _, f in ipairs(files) do vim.cmd("edit " .. f); table.insert(bufs, vim.api.nvim_get_current_buf()) end
local opened = ((vim.uv or vim.loop).hrtime() - start) / 1e6
local function flagged()
  local n = 0
  for _, b in ipairs(bufs) do
    for _, d in ipairs(vim.diagnostic.get(b)) do
      local l = d.user_data and d.user_data.lsp
      if l and l.code == "duplicate-question" then n = n + 1; break end
    end
  end
  return n
end
vim.wait(60000, function() return flagged() == #bufs end, 50)
local all = ((vim.uv or vim.loop).hrtime() - start) / 1e6
local pid = vim.fn.trim(vim.fn.system("pgrep -n -f " .. vim.fn.shellescape(bin)))
local stat = vim.split(vim.fn.readfile("/proc/" .. pid .. "/stat")[1], " ")
vim.wait(3000)
local stat2 = vim.split(vim.fn.readfile("/proc/" .. pid .. "/stat")[1], " ")
local cpu = (tonumber(stat[14]) + tonumber(stat[15])) / 100
local cpu2 = (tonumber(stat2[14]) + tonumber(stat2[15])) / 100
io.stdout:write(("%s: %d buffers opened in %.0f ms; %d/%d flagged after %.0f ms; server CPU %.2f s then %.2f s 3 s later\n"):format(mode, #bufs, opened, flagged(), #bufs, all, cpu, cpu2))
vim.cmd("qall!")
