"""Screens of the app: one file per screen or family of dialogs."""
