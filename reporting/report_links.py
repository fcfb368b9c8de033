"""Links that apps built on reporting add to a report's page (its pledge contracts, say).

Reporting knows none of them: an app registers a provider in its ``AppConfig.ready()``.
"""

_providers = []


def register(provider):
    """``provider(user, report)`` returns (label, url) pairs for the page; usable as a decorator."""
    _providers.append(provider)
    return provider


def links(user, report):
    return [link for provider in _providers for link in provider(user, report)]
