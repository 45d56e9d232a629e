"""The version of inspecpy (its own module, so importing it loads nothing else)."""

__version__ = "0.1.0"
