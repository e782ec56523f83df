"""Widgets of the app: they render what they are given and post intent; they do no I/O."""
