from tests.cms.conftest import site_tree  # noqa: F401  (the Virtual Centre's index pages)
