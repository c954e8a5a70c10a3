"""Reports out: the report model and one writer per format (PDF, Markdown, CSV)."""
