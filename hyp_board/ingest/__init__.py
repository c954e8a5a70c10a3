"""Documents in: one importer that decodes, repairs and extracts the text of what an analyst
reads (plain text, Markdown, web pages, web archives)."""
