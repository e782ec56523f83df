"""The Textual app: the Space list, the Space screen, dialogs, logs, palette and help."""
