"""Render: one Guide -> bytes, in each format (PDF, Word, calendar).

Renderers only lay a Guide out and decide no content: the theme (HTML and CSS),
the shared labels, the timeline chart and the URL fetcher live here. Uses
`guidegen.plan` and below; writes no files.
"""

FORMATS = ("pdf", "docx", "ics")
"""Output formats, in the order files are written."""
