"""guidegen: personalized career transition guides from a profile and a template."""

__version__ = "0.1.0"
