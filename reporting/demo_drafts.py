"""What apps built on reporting add to the local demo's 2021 reports (contracts behind the
figures, say).

Reporting knows none of them: an app registers a filler in its ``AppConfig.ready()``.
``loaddemo`` hands every 2021 report it creates to each filler while the report is still the
unit's draft, before it is submitted, with the unit's submitter: a filler adds its data as that
submitter would, through the services, and the report then moves on as reporting's demo says.
"""

_fillers = []


def register(filler):
    """``filler(report, submitter)`` returns a line saying what it added, or None; usable as a
    decorator."""
    _fillers.append(filler)
    return filler


def fill(report, submitter):
    """Hand a demo draft to every filler; the lines they printed."""
    return [line for filler in _fillers if (line := filler(report, submitter))]
