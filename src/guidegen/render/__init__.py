"""Renderers: each lays out a finished Guide in one format, and decides no content."""

FORMATS = ("pdf", "docx", "ics")
"""Output formats, in the order files are written."""
