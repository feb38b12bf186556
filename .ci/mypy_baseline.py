"""mypy with a baseline: fails only on errors that are not in .ci/mypy-baseline.txt.

The baseline holds one line per known error, ``file:code:message`` without line numbers, so moving code does
not make an old error new. Fixing errors is always welcome: the script then says how many the baseline can
drop. ``--update`` rewrites the baseline from the current errors (do it when you fix some, never to hide new
ones). Arguments after ``--`` go to mypy.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

BASELINE = Path(__file__).with_name("mypy-baseline.txt")
SHOWN = os.path.relpath(BASELINE)
ERROR = re.compile(r"^(?P<file>[^:]+):\d+(?::\d+)?: error: (?P<message>.*?)(?:  \[(?P<code>[a-z-]+)\])?$")


def current_errors(mypy_args: list[str]) -> tuple[Counter[str], str]:
    result = subprocess.run(  # noqa: S603 (our own interpreter running mypy)
        [sys.executable, "-m", "mypy", *mypy_args], capture_output=True, text=True, check=False
    )
    if result.returncode not in (0, 1):  # 2: mypy itself failed (configuration, crash)
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(result.returncode)
    errors: Counter[str] = Counter()
    for line in result.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            errors[f"{match['file']}:{match['code'] or 'misc'}:{match['message']}"] += 1
    return errors, result.stdout


def main(argv: list[str]) -> int:
    update = "--update" in argv
    mypy_args = argv[argv.index("--") + 1 :] if "--" in argv else ["approdi"]
    errors, output = current_errors(mypy_args)
    if update:
        BASELINE.write_text("".join(f"{line}\n" for line in sorted(errors.elements())), encoding="utf-8")
        print(f"mypy baseline: {sum(errors.values())} known errors written to {SHOWN}")
        return 0
    known = Counter(BASELINE.read_text(encoding="utf-8").splitlines()) if BASELINE.exists() else Counter()
    new = errors - known
    fixed = known - errors
    if new:
        new_keys = set(new)
        for line in output.splitlines():  # the full lines, with their numbers, of every error not in the baseline
            match = ERROR.match(line)
            if match and f"{match['file']}:{match['code'] or 'misc'}:{match['message']}" in new_keys:
                print(line)
        print(f"mypy: {sum(new.values())} new error(s) (the {sum(known.values())} in {SHOWN} are known).")
        return 1
    print(f"mypy: no new errors ({sum(errors.values())} known, listed in {SHOWN}).")
    if fixed:
        print(f"  {sum(fixed.values())} known error(s) are gone: run `.ci/mypy_baseline.py --update` to drop them.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
