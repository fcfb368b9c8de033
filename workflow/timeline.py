"""A report's timeline: its moves (and each kind adds its own changes), newest first."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    who: str
    title: str
    comment: str = ""
    changes: tuple = ()  # (label, old, new)


def move_entries(report):
    """The moves of any kind of report (its log ``transitions``), as entries of its timeline."""
    return [
        TimelineEntry(
            at=move.at,
            who=user_name(move.actor),
            title=_("{action}：{before} → {after}").format(
                action=move.get_action_display(),
                before=move.get_from_state_display(),
                after=move.get_to_state_display(),
            ),
            comment=move.comment,
        )
        for move in report.transitions.select_related("actor")
    ]


def user_name(user):
    if user is None:
        return _("系统")
    return user.get_full_name() or user.get_username()
