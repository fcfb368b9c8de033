"""How long `make test` takes, here and (``--code DIR``) in another checkout, side by side.

Each checkout is set up first (``make setup-dev``, not timed); then ``make test`` runs in each,
alternately, ``--rounds`` times, on SQLite (``DATABASE_URL`` unset). The wall times, their
medians and the ratio are printed: on a shared machine the seconds vary from run to run, the
ratio of two runs made side by side much less.

    .venv/bin/python bench/suite.py --code ../before --rounds 1
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def run(checkout, target, log):
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    started = time.monotonic()
    result = subprocess.run(
        ["make", target], cwd=checkout, env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    return time.monotonic() - started, result.returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="another checkout to time beside this one")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--log", type=Path, default=HERE / "var" / "bench-suite.log")
    options = parser.parse_args()
    checkouts = {"this": HERE}
    if options.code:
        checkouts["other"] = options.code.resolve()
    times = {name: [] for name in checkouts}
    options.log.parent.mkdir(parents=True, exist_ok=True)
    with options.log.open("w") as log:
        for checkout in checkouts.values():
            _seconds, code = run(checkout, "setup-dev", log)
            if code:
                sys.exit(f"make setup-dev failed in {checkout} (see {options.log})")
        for round_ in range(1, options.rounds + 1):
            for name, checkout in checkouts.items():
                seconds, code = run(checkout, "test", log)
                times[name].append(seconds)
                verdict = "passed" if code == 0 else f"FAILED ({code})"
                print(f"round {round_}  {name:5}  make test  {seconds:7.1f} s  {verdict}")
    for name, values in times.items():
        print(f"{name:5}  median {statistics.median(values):7.1f} s  ({checkouts[name]})")
    if "other" in times:
        ratio = statistics.median(times["this"]) / statistics.median(times["other"])
        print(f"this / other: {ratio:.2f}")


if __name__ == "__main__":
    main()
