"""What the tests share besides fixtures (those are in the ``conftest.py`` files): factories,
files made the ways people make them, the crawl's table of URLs, helpers that read pages and
documents back. Test modules import from here, never from one another."""
