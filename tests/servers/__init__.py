"""Real external components for the tests, each started by the tests on loopback.

One module per component, each with a small class (``start_new(workdir, …)``,
``stop()``, ``pid``, its address, context-manager use) and a
``why_not_available()`` that names the only reasons to skip (not root, a
kernel feature this machine forbids). A missing package is not such a
reason: ``scripts/install-test-deps.sh`` installs every one, and a test that
finds one missing fails. The pytest fixtures are in ``fixtures.py``,
registered for the whole suite by ``tests/conftest.py``.

- ``isolated_sshd``: sshd in its own mount (and UTS) namespace, so its
  ``/etc``, ``/root``, ``/home`` and the checkout are not this machine's;
- ``docker_engine``: a private dockerd, with images built offline;
- ``mlserver``: MLServer serving a small scikit-learn model;
- ``nginx_tls``: nginx with TLS and a bearer token in front of MLServer;
- ``prometheus``: Prometheus and the Pushgateway;
- ``dask_cluster``: a Dask scheduler with N workers.
"""
