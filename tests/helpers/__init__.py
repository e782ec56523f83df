"""Helpers shared by test files: import from here, never from another test file or a conftest."""
