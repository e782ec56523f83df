"""App-level controllers: they own the work (workers, runs, Hub calls); panes only draw it."""
