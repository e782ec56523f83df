"""Every use of another library's private parts, in one place, each pinned by a test in tests/compat/.

One module per library (textual, huggingface_hub, pathspec, httpx). When one of them changes
shape, the failing test names the module here to fix; the rest of spacetui only calls these.
"""
