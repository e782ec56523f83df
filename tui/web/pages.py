"""The two HTML pages (the terminal and the login form) and the static files the page may load.

The page is textual-serve's, rewritten so it loads nothing but its own origin: no Google Fonts
(the Roboto Mono files in textual-serve's wheel are served instead), no inline script or style.
The texts live here, not in data files, so every way of installing spacetui carries them.
"""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

import textual_serve

_STOCK = Path(textual_serve.__file__).parent / "static"

#: URL path under /static/ -> file of textual-serve's wheel. Only these are served from disk.
STATIC_FILES: dict[str, Path] = {
    "css/xterm.css": _STOCK / "css" / "xterm.css",
    "js/textual.js": _STOCK / "js" / "textual.js",
    "fonts/RobotoMono-VariableFont_wght.ttf": _STOCK / "fonts" / "RobotoMono-VariableFont_wght.ttf",
    "fonts/RobotoMono-Italic-VariableFont_wght.ttf": (
        _STOCK / "fonts" / "RobotoMono-Italic-VariableFont_wght.ttf"
    ),
}

PAGE_CSS = """/* textual-serve's page style, with Roboto Mono served from this origin (not Google Fonts). */
@font-face {
  font-family: "Roboto Mono";
  src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700;
  font-style: normal;
}
@font-face {
  font-family: "Roboto Mono";
  src: url("/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700;
  font-style: italic;
}
html, body { margin: 0; height: 100%; background: #0c181f; }
.dialog-container {
  position: absolute; width: 100vw; height: 100vh; display: flex;
  align-items: center; justify-content: center; z-index: 10;
}
.intro {
  min-width: 480px; padding: 32px; font-size: 16px; z-index: 20;
  font-family: "Roboto Mono", menlo, monospace; text-align: center;
  color: rgba(255, 255, 255, 0.95); background-color: #12232d;
  display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 16px;
}
.login input { font: inherit; padding: 8px; width: 100%; }
.login .problem { color: #ff8a80; min-height: 1em; margin: 0; }
body.-first-byte .intro-dialog { display: none; }
body .textual-terminal { opacity: 0; transition: opacity 0.3s ease-out; }
body.-first-byte .textual-terminal { opacity: 1; }
.textual-terminal { width: 100vw; height: 100vh; }
.closed-dialog { display: none; }
body.-closed .closed-dialog { display: flex; }
button {
  padding: 16px 32px; background-color: #5e0ba7; color: rgba(255, 255, 255, 0.95);
  border: none; font-family: "Roboto Mono", menlo, monospace; cursor: pointer;
}
button:hover { background: #ac5af4; }
"""

PAGE_JS = """// The stock page's inline handler, moved here so the CSP can forbid inline script.
window.addEventListener("DOMContentLoaded", () => {
  const restart = document.getElementById("restart");
  if (restart) {
    restart.addEventListener("click", () => window.location.reload());
  }
});
"""

#: URL path under /static/ -> (content type, body) of spacetui's own additions.
OWN_FILES: dict[str, tuple[str, str]] = {
    "spacetui/page.css": ("text/css", PAGE_CSS),
    "spacetui/page.js": ("text/javascript", PAGE_JS),
}

_INDEX = Template("""<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>$title</title>
    <link rel="stylesheet" href="/static/css/xterm.css" />
    <link rel="stylesheet" href="/static/spacetui/page.css" />
    <script src="/static/js/textual.js"></script>
    <script src="/static/spacetui/page.js"></script>
  </head>
  <body>
    <div class="dialog-container intro-dialog">
      <div class="intro"><div>$title</div></div>
    </div>
    <div class="dialog-container closed-dialog">
      <div class="intro">
        <div class="message">Session ended.</div>
        <button type="button" id="restart">Restart</button>
      </div>
    </div>
    <div
      id="terminal"
      class="textual-terminal"
      data-session-websocket-url="$websocket_url"
      data-font-size="$font_size"
    ></div>
  </body>
</html>
""")

_LOGIN = Template("""<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>$title: sign in</title>
    <link rel="stylesheet" href="/static/spacetui/page.css" />
  </head>
  <body>
    <div class="dialog-container">
      <form class="intro login" method="post" action="/login">
        <label for="secret">Access secret of this spacetui server</label>
        <input id="secret" name="secret" type="password" autocomplete="current-password" autofocus />
        <p class="problem">$problem</p>
        <button type="submit">Sign in</button>
      </form>
    </div>
  </body>
</html>
""")


def index_page(*, title: str, websocket_url: str, font_size: int) -> str:
    """The terminal page: xterm.js connects to `websocket_url` once loaded."""
    return _INDEX.substitute(
        title=html.escape(title),
        websocket_url=html.escape(websocket_url, quote=True),
        font_size=str(font_size),
    )


def login_page(*, title: str, problem: str = "") -> str:
    """The access-secret form; `problem` says why the last attempt failed."""
    return _LOGIN.substitute(title=html.escape(title), problem=html.escape(problem))
