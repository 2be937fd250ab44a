//! The demo page and its resources.

pub(crate) const DEMO_HTML: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>h1conn demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/css/base.css">
<link rel="stylesheet" href="/css/layout.css">
<link rel="stylesheet" href="/css/type.css">
<link rel="stylesheet" href="/css/colors.css">
<script src="/js/first.js" defer></script>
<script src="/js/second.js" defer></script>
<script src="/js/third.js" defer></script>
</head>
<body>
<main>
<h1>h1conn demo</h1>
<p>This page and its ten resources (four stylesheets, three scripts, three images) were served by an
HTTP/1.1 server built on the <code>h1conn</code> state machine. With keep-alive, a browser fetches
all eleven over a few persistent connections; <a href="/stats">/stats</a> shows how many requests each
connection carried.</p>
<div class="gallery">
<img src="/img/circle.svg" width="120" height="120" alt="a circle">
<img src="/img/square.svg" width="120" height="120" alt="a square">
<img src="/img/triangle.svg" width="120" height="120" alt="a triangle">
</div>
<p id="status">Scripts have not run.</p>
<ul class="links">
<li><a href="/stream?chunks=20&amp;size=64">/stream?chunks=20&amp;size=64</a>: a body of unknown length</li>
<li><a href="/status/404">/status/404</a>: any status code</li>
<li><a href="/stats">/stats</a>: connections and requests</li>
</ul>
</main>
</body>
</html>
"#;

pub(crate) const BASE_CSS: &str = "*, *::before, *::after { box-sizing: border-box; }\n\
body { margin: 0; }\nimg { display: inline-block; }\n";
pub(crate) const LAYOUT_CSS: &str = "main { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }\n\
.gallery { display: flex; gap: 1rem; margin: 1.5rem 0; }\n";
pub(crate) const TYPE_CSS: &str = "body { font: 16px/1.5 system-ui, sans-serif; }\n\
h1 { font-size: 1.8rem; letter-spacing: .02em; }\ncode { font-family: ui-monospace, monospace; }\n";
pub(crate) const COLORS_CSS: &str = "body { background: #f6f7fb; color: #1d2330; }\n\
a { color: #2457c5; }\n#status { color: #0a7a3b; font-weight: 600; }\n";

pub(crate) const FIRST_JS: &str = "window.h1demo = { first: true };\n";
pub(crate) const SECOND_JS: &str = r#"window.addEventListener('load', function () {
  var css = 0, img = 0;
  for (var i = 0; i < document.styleSheets.length; i++) {
    try { if (document.styleSheets[i].cssRules.length > 0) css++; } catch (e) {}
  }
  var imgs = document.images;
  for (var j = 0; j < imgs.length; j++) {
    if (imgs[j].complete && imgs[j].naturalWidth > 0) img++;
  }
  var h = window.h1demo || {};
  var js = (h.first ? 1 : 0) + 1 + (h.third ? 1 : 0);
  var summary = 'css=' + css + ' js=' + js + ' img=' + img;
  document.body.setAttribute('data-loaded', summary);
  document.getElementById('status').textContent = 'Loaded: ' + summary + '.';
});
"#;
pub(crate) const THIRD_JS: &str = "window.h1demo = window.h1demo || {};\nwindow.h1demo.third = true;\n";

pub(crate) const CIRCLE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><circle cx="60" cy="60" r="50" fill="#2457c5"/></svg>
"##;
pub(crate) const SQUARE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><rect x="15" y="15" width="90" height="90" fill="#0a7a3b"/></svg>
"##;
pub(crate) const TRIANGLE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><polygon points="60,10 110,105 10,105" fill="#c53a24"/></svg>
"##;

/// The demo page's ten sub-resources, each referenced from [`DEMO_HTML`]: path, content type,
/// body.
pub(crate) const DEMO_RESOURCES: [(&str, &str, &str); 10] = [
    ("/css/base.css", "text/css; charset=utf-8", BASE_CSS),
    ("/css/layout.css", "text/css; charset=utf-8", LAYOUT_CSS),
    ("/css/type.css", "text/css; charset=utf-8", TYPE_CSS),
    ("/css/colors.css", "text/css; charset=utf-8", COLORS_CSS),
    ("/js/first.js", "text/javascript; charset=utf-8", FIRST_JS),
    ("/js/second.js", "text/javascript; charset=utf-8", SECOND_JS),
    ("/js/third.js", "text/javascript; charset=utf-8", THIRD_JS),
    ("/img/circle.svg", "image/svg+xml", CIRCLE_SVG),
    ("/img/square.svg", "image/svg+xml", SQUARE_SVG),
    ("/img/triangle.svg", "image/svg+xml", TRIANGLE_SVG),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The URLs a browser fetches while loading the page: every `src` and every stylesheet link.
    fn fetched_by_the_page() -> Vec<&'static str> {
        let mut found = Vec::new();
        for marker in [" src=\"", "<link rel=\"stylesheet\" href=\""] {
            for (at, _) in DEMO_HTML.match_indices(marker) {
                let rest = &DEMO_HTML[at + marker.len()..];
                found.push(&rest[..rest.find('"').expect("closing quote")]);
            }
        }
        found
    }

    /// Scenario: loading the demo page fetches exactly the ten served sub-resources, each once.
    #[test]
    fn demo_page_fetches_exactly_its_ten_resources() {
        let mut fetched = fetched_by_the_page();
        fetched.sort_unstable();
        let mut served: Vec<&str> = DEMO_RESOURCES.iter().map(|r| r.0).collect();
        served.sort_unstable();
        assert_eq!(fetched, served);
        assert_eq!(served.len(), 10);
        served.dedup();
        assert_eq!(served.len(), 10, "a resource path is listed twice");
    }
}
