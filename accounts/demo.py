"""The demo's accounts (a local demo only): a submitter per city, a reviewer and the three
administrators (system, security, audit), all with one password."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cities.resolver import UnitResolver

from .roles import (
    ADMINISTRATOR_GROUP,
    AUDITOR_GROUP,
    REVIEWER_GROUP,
    SECURITY_GROUP,
    SUBMITTER_GROUP,
)

# Local demo only: loaddemo creates no account when DEBUG is off.
DEMO_PASSWORD = "henan-demo-2020"

# One submitter per 省辖市 and 济源示范区, named by the pinyin of its short name.
SUBMITTERS = {
    "郑州": "zhengzhou", "开封": "kaifeng", "洛阳": "luoyang", "平顶山": "pingdingshan",
    "安阳": "anyang", "鹤壁": "hebi", "新乡": "xinxiang", "焦作": "jiaozuo", "濮阳": "puyang",
    "许昌": "xuchang", "漯河": "luohe", "三门峡": "sanmenxia", "南阳": "nanyang",
    "商丘": "shangqiu", "信阳": "xinyang", "周口": "zhoukou", "驻马店": "zhumadian",
    "济源": "jiyuan",
}  # fmt: skip
REVIEWER = ("reviewer", "省级审核员（演示）")
ADMINISTRATOR = ("admin", "系统管理员（演示）")
SECURITY = ("security", "安全管理员（演示）")
AUDITOR = ("auditor", "审计管理员（演示）")


def submitter(short_name):
    """The demo's submitter of the unit named ``short_name`` (郑州, 济源…)."""
    return get_user_model().objects.get(username=SUBMITTERS[short_name])


def reviewer():
    return get_user_model().objects.get(username=REVIEWER[0])


def load_accounts(out):
    """The demo accounts, each in its role; a submitter linked to its unit. Safe to re-run."""
    User = get_user_model()
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (
            SUBMITTER_GROUP, REVIEWER_GROUP, ADMINISTRATOR_GROUP, SECURITY_GROUP, AUDITOR_GROUP
        )
    }  # fmt: skip

    def account(username, full_name, group, **flags):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": full_name, "email": f"{username}@example.gov.cn", **flags},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(groups[group])
        return user

    resolver = UnitResolver()
    count = 0
    for short_name, username in SUBMITTERS.items():
        unit = resolver.resolve(short_name)
        user = account(username, f"{unit.name}填报员（演示）", SUBMITTER_GROUP)
        unit.submitters.add(user)
        count += 1
    account(*REVIEWER, REVIEWER_GROUP)
    # The three administrators, one role each (三员分立); none is a superuser or a reviewer.
    account(*ADMINISTRATOR, ADMINISTRATOR_GROUP)
    account(*SECURITY, SECURITY_GROUP)
    account(*AUDITOR, AUDITOR_GROUP)
    out.write(f"Demo accounts: {count + 4}")


def print_logins(out):
    out.write("")
    out.write("Demo log-ins (local demo only) / 演示账号（仅限本地演示）:")
    out.write(f"  password / 密码: {DEMO_PASSWORD}")
    for username, name in (ADMINISTRATOR, SECURITY, AUDITOR):
        out.write(f"  {username:<13} {name}")
    out.write(f"  {REVIEWER[0]:<13} {REVIEWER[1]}")
    out.write(
        f"  {'luoyang':<13} 洛阳市填报员（演示）; one per city: " + ", ".join(SUBMITTERS.values())
    )
