"""inspecpy-mine: an example of a reporter shipped by a third-party package."""
