"""One module per step the HR office runs: forms, collect, summary, annual, appeal, status,
templates, scorecards."""
