"""Load: reading and checking what people write.

YAML with line and column for every field, friendly validation errors, profiles,
cohorts (CSV, XLSX, JSON/YAML, folders), the template catalog and brand folders.
Uses only `guidegen.models`, `guidegen.language` and `guidegen.errors`.
"""
