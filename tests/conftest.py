from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def seeds():
    """The five real documents shipped as samples, extracted once."""
    import policykg
    return {p.stem[:3]: policykg.extract(p) for p in sorted(SAMPLES.glob("*.txt"))}
