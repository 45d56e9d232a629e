"""The interactive shell: the DSL and every resource, bound to one target.

::

    $ inspecpy shell -t ssh://me@web1
    inspecpy> describe(file("/etc/passwd")).should.exist()
      ✔  File /etc/passwd is expected to exist
    inspecpy> file("/etc/passwd")
    File /etc/passwd
      exists:  True
      mode:    420
      ...

Modules: :mod:`.evaluator` evaluates code and shows what it did,
:mod:`.members` knows what a resource offers (for display, help and
completion), :mod:`.helptext` writes ``help()``, :mod:`.completion`
completes a line, :mod:`.repl` is the prompt (readline: history, Tab,
Ctrl-C, Ctrl-D).
"""

from inspecpy.shell.evaluator import Outcome, Shell

__all__ = ["Outcome", "Shell"]
