from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def test_loaddemo_is_the_portals_and_no_other_app_has_one():
    assert get_commands()["loaddemo"] == "portal"
    commands = sorted(
        str(path.relative_to(ROOT)) for path in ROOT.glob("*/management/commands/loaddemo.py")
    )
    assert commands == ["portal/management/commands/loaddemo.py"]
