"""Deploy a local Space folder: plan, checks, review, create, settings, upload, commit, build, result."""
