"""Pre-deploy checks of a local Space folder (catalogue: shared/reference/checks.md)."""
