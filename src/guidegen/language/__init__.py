"""Language: the guide's fixed words (gettext catalogs) and dates and money in its locale.

Shared by every stage; uses nothing of guidegen but `guidegen.errors`.
"""
