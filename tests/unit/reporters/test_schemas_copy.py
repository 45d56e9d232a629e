"""tests/schemas is a faithful copy of the contract's shared/schemas (when that folder is beside the repo)."""

import pytest

from tests.conftest import ROOT

SHARED = ROOT.parent / "shared" / "schemas"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared/ folder beside this checkout")
def test_schemas_match_shared():
    for original in SHARED.iterdir():
        assert (ROOT / "tests" / "schemas" / original.name).read_bytes() == original.read_bytes(), original.name
