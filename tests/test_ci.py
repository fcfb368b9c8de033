"""The CI's PostgreSQL leg cannot pass by quietly running on SQLite, and .ci/run's steps read
the database URL as Django does."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.helpers import (
    on_the_postgresql_leg,
    postgresql_verdict,
    runs_on_the_postgresql_leg,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("vendor", "environ", "verdict"),
    [
        ("postgresql", {}, None),
        ("postgresql", {"CI_REQUIRE_POSTGRES": "1"}, None),
        ("sqlite", {}, ("skip", "row locks need PostgreSQL")),
        ("sqlite", {"CI_REQUIRE_POSTGRES": "0"}, ("skip", "row locks need PostgreSQL")),
        (
            "sqlite",
            {"CI_REQUIRE_POSTGRES": "1"},
            (
                "fail",
                "CI_REQUIRE_POSTGRES is set but the database is sqlite: row locks need PostgreSQL",
            ),
        ),
    ],
)
def test_a_test_that_needs_postgresql_is_skipped_elsewhere_unless_the_ci_requires_it(
    vendor, environ, verdict
):
    assert postgresql_verdict(vendor, environ, "row locks need PostgreSQL") == verdict


def test_the_postgresql_leg_runs_the_tests_that_can_answer_differently_there():
    assert on_the_postgresql_leg({"CI_REQUIRE_POSTGRES": "1"})
    assert not on_the_postgresql_leg({}) and not on_the_postgresql_leg({"CI_REQUIRE_POSTGRES": "0"})
    assert runs_on_the_postgresql_leg(True, ROOT / "tests/reporting/test_ranking.py")
    # Without the database: as on SQLite. In a browser: pages the crawl runs on PostgreSQL.
    assert not runs_on_the_postgresql_leg(False, ROOT / "tests/lib/test_numbers.py")
    assert not runs_on_the_postgresql_leg(True, ROOT / "tests/browser/test_journey.py")


def test_the_row_lock_tests_fail_on_sqlite_when_the_ci_requires_postgresql():
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"} | {
        "CI_REQUIRE_POSTGRES": "1"
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "tests/workflow/test_concurrency.py",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout
    assert (
        "CI_REQUIRE_POSTGRES is set but the database is sqlite: row locks need PostgreSQL"
        in result.stdout
    )
    assert " skipped" not in result.stdout.splitlines()[-1]


def test_ci_reads_the_parts_of_the_database_url():
    script = (
        'source .ci/run && parse_database_url "$1" && '
        'printf "%s|" "$PG_USER" "$PG_PASSWORD" "$PG_HOST" "$PG_PORT" "$PG_NAME"'
    )
    result = subprocess.run(
        ["bash", "-c", script, "bash", "postgres://ci%40lab:p%2Fw@db.example.org:5433/portal"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == "ci@lab|p/w|db.example.org|5433|portal|"


def test_ci_script_is_valid_bash():
    subprocess.run(["bash", "-n", ".ci/run"], cwd=ROOT, check=True)
