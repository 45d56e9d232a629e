"""Static safety scan of model files: nothing is ever unpickled or loaded to judge it.

:mod:`.scanner` gives the verdict for a file or folder; the others scan
one kind of content each (pickle streams, zip archives, numpy, Keras,
data-only headers).
"""
