"""ML tests run BLAS single-threaded: on a shared 2-core runner, OpenBLAS threads spin
against each other and a 0.2 s scikit-learn fit takes 9 s."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _single_threaded_blas():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        yield
        return
    with threadpool_limits(1):
        yield
