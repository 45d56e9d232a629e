"""inspecpy: compliance as code in Python."""

__version__ = "0.1.0"
