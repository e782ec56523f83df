"""Placeholder until step 2 of the emulator lands."""

ROUTES: list = []
