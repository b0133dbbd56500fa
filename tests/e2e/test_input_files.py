"""Every file asof reads is checked first: a regular file, under a size cap. `asof ingest
/dev/zero` used to read without end, and a FIFO hung; now both get a clear error at once and
nothing is stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from asof.api.app import create_app
from asof.api.cli import cli
from asof.api.memory import Memory
from asof.api.settings import Settings
from asof.graph.errors import InvalidInputError

pytestmark = pytest.mark.e2e

ASOF = Path(sys.executable).with_name("asof")
MESSAGE = {"speaker": "Priya", "at": "2024-03-05T09:00:00Z", "text": "I work at Acme Corp."}


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.jsonl"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("source", ["/dev/zero", "fifo"])
def test_ingest_refuses_what_is_not_a_regular_file_at_once(source: str, fifo: Path,
                                                           tmp_path: Path) -> None:
    path = str(fifo) if source == "fifo" else source
    store = f"sqlite:///{tmp_path / 's.db'}"
    # a real process with a timeout: the old behaviour hangs, and that must fail, not stall
    done = subprocess.run([str(ASOF), "ingest", path, "--store", store], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr and path in done.stderr
    with Memory.open(store) as mem, pytest.raises(InvalidInputError, match="regular file"):
        mem.ingest(path, tenant="t")
    with Memory.open(store) as mem:
        assert mem.audit(tenant="default") == [] and mem.audit(tenant="t") == []


def test_files_over_the_cap_are_refused_naming_the_setting(tmp_path: Path) -> None:
    talk = tmp_path / "talk.jsonl"
    talk.write_text(json.dumps(MESSAGE) + "\n" + " " * 2_000 + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(talk), "--store",
                                      f"sqlite:///{tmp_path / 's.db'}"],
                                env={"ASOF_MAX_FILE_BYTES": "1000"})
    assert result.exit_code == 2
    assert "over the limit of 1,000 bytes" in result.output
    assert "ASOF_MAX_FILE_BYTES" in result.output


def test_keys_and_checkpoint_files_are_checked_too(fifo: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="ASOF_API_KEYS_FILE .*not a regular file"):
        create_app(Settings(store=f"sqlite:///{tmp_path / 's.db'}", api_keys_file=fifo))
    result = CliRunner().invoke(cli, ["audit", "verify", "--checkpoint", "/dev/zero",
                                      "--store", f"sqlite:///{tmp_path / 's.db'}"])
    assert result.exit_code == 2 and "not a regular file" in result.output
    for args in (["audit", "verify-reads", str(fifo)], ["eval", "locomo", "/dev/zero"]):
        refused = CliRunner().invoke(cli, args)
        assert refused.exit_code == 2 and "not a regular file" in refused.output, args
