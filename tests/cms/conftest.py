import pytest


@pytest.fixture
def site_tree(db):
    """The Virtual Centre's index pages (resources and its seven sections, events, funding)."""
    from tests.cms.factories import build_site_tree

    return build_site_tree()
