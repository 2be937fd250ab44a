-- A browser loading a page over kept-alive connections, for wrk (-s scripts/wrk-page.lua): the
-- document, then its four stylesheets, three scripts and three images, over and over. Each kind
-- of request has the fields Firefox sends for it; the lines a page's requests share (User-Agent,
-- Accept-Language, Accept-Encoding, Cookie, Sec-Fetch-Site) repeat, the others change with the
-- kind. wrk hands the requests of a thread out in turn to its connections, so a connection sees
-- the kinds mixed.
local requests = {}

-- The request for `path` with the shared lines and `fields` ({name, value} pairs), in the order
-- a browser sends them (Host first, as wrk.format would add it).
local function add(path, fields)
  local lines = {
    { "Host", wrk.host },
    { "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0" },
    fields[1],
    { "Accept-Language", "en-US,en;q=0.9,de;q=0.7,fr;q=0.5" },
    { "Accept-Encoding", "gzip, deflate, br, zstd" },
    { "Referer", fields.referer },
    { "Cookie", "session=6f1c2b9e4d8a47f0b3e5c7d9a1f3e5b7; theme=dark; consent=analytics%3D0%26ads%3D0; _ga=GA1.2.1234567890.1717171717" },
  }
  for i = 2, #fields do lines[#lines + 1] = fields[i] end
  lines[#lines + 1] = { "Sec-Fetch-Site", "same-origin" }
  local out = { "GET " .. path .. " HTTP/1.1\r\n" }
  for _, l in ipairs(lines) do out[#out + 1] = l[1] .. ": " .. l[2] .. "\r\n" end
  out[#out + 1] = "\r\n"
  requests[#requests + 1] = table.concat(out)
end

local sub = {
  style = { accept = "text/css,*/*;q=0.1",
            paths = { "/css/base.css", "/css/layout.css", "/css/type.css", "/css/colors.css" } },
  script = { accept = "*/*", paths = { "/js/first.js", "/js/second.js", "/js/third.js" } },
  image = { accept = "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5",
            paths = { "/img/circle.svg", "/img/square.svg", "/img/triangle.svg" } },
}

-- Built once per thread, once wrk knows the host.
function init(args)
  add("/", {
    { "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8" },
    { "Upgrade-Insecure-Requests", "1" },
    { "Sec-Fetch-Dest", "document" },
    { "Sec-Fetch-Mode", "navigate" },
    { "Sec-Fetch-User", "?1" },
    referer = "https://www.example.com/articles/2024/06/index.html?page=2",
  })
  for _, dest in ipairs({ "style", "script", "image" }) do
    for _, path in ipairs(sub[dest].paths) do
      add(path, {
        { "Accept", sub[dest].accept },
        { "Sec-Fetch-Dest", dest },
        { "Sec-Fetch-Mode", "no-cors" },
        referer = "https://www.example.com/",
      })
    end
  end
end

local next = 0
function request()
  next = next % #requests + 1
  return requests[next]
end
