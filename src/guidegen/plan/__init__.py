"""Plan: profile + template -> one format-independent Guide, by pure functions.

Personalization and template placeholders live here, and the checks `guidegen
validate` runs (which plan a guide the way `render` would, without rendering it).
Uses `guidegen.load` and the layers below it; never a renderer or a file writer.
"""
