"""`spacetui web`: the app served to a browser through textual-serve, safe by default."""
