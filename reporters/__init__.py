"""The built-in reporter plugins (installed as ``inspecpy.reporters``)."""
