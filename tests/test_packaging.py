"""The wheel carries what the installed tool needs at run time: templates, migrations, the sample campaign."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_templates_migrations_and_sample(tmp_path):
    # --no-build-isolation: use this venv's setuptools, so the test needs no network.
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    wheel = next(tmp_path.glob("hashtag_scheduler-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("scheduler/templates/benefit.j2", "scheduler/templates/question.j2", "scheduler/templates/technique.j2",
                     "scheduler/store/migrations/0001_initial.sql", "scheduler/sample/campaign.toml",
                     "scheduler/sample/article.md", "posts/benefits.py", "scheduler/cli.py"):
        assert expected in names, expected
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "hashtag-scheduler = scheduler.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
