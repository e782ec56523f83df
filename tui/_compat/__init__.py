"""Every use of another library's private parts, in one place, each pinned by a test in tests/compat/.

When textual, rich, huggingface_hub or pathspec change shape, the failing test names the module
here to fix; the rest of spacetui only calls these functions.
"""
