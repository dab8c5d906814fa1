"""Models: the schemas everything else is written against.

Input (profile, transition template, brand), the format-independent Guide that
planning makes and renderers lay out, and their JSON Schemas. The lowest stage:
uses only `guidegen.language` and `guidegen.errors`.
"""
