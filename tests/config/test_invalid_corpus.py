"""The invalid-configuration corpus: each case is refused with every expected FILE:LINE:COL message.

A case is a file, or a directory of files, under `invalid/`. Expectations live beside the
mistake, as a trailing comment on the line it is reported at:

    frist_name: Ann   # expect: 5: unknown key 'frist_name'     (column 5 of this line)
    # expect-at: 1:1: version is missing                        (an explicit line and column)

`{dir}` in a fragment stands for the case directory. The run goes through the real CLI entry
point and must exit 1, print every expectation at once, and print nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from reconciler.cli.main import main

CORPUS = Path(__file__).parent / "invalid"
_TRAILING = re.compile(r"#\s*expect:\s*(\d+):\s*(.+?)\s*$")
_EXPLICIT = re.compile(r"#\s*expect-at:\s*(\d+):(\d+):\s*(.+?)\s*$")


@dataclass(frozen=True)
class Expected:
    file: Path
    line: int
    col: int
    fragment: str

    def matches(self, line: str) -> bool:
        return line.startswith(f"{self.file}:{self.line}:{self.col}: ") and self.fragment in line


def _cases() -> list[Path]:
    return sorted(CORPUS.iterdir())


def _expectations(case: Path) -> list[Expected]:
    files = sorted(case.rglob("*.y*ml")) if case.is_dir() else [case]
    found = []
    for file in files:
        for number, text in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if explicit := _EXPLICIT.search(text):
                line, col, fragment = int(explicit[1]), int(explicit[2]), explicit[3]
            elif trailing := _TRAILING.search(text):
                line, col, fragment = number, int(trailing[1]), trailing[2]
            else:
                continue
            found.append(Expected(file, line, col, fragment.replace("{dir}", str(case))))
    return found


def _validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(path)])
    captured = capsys.readouterr()
    assert captured.out == ""
    return int(exited.value.code or 0), captured.err.splitlines()


def test_corpus_is_large_enough() -> None:
    assert len(_cases()) >= 60
    assert all(_expectations(case) for case in _cases())


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case.name)
def test_invalid_configuration_reports_every_mistake(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECONCILER_TEST_UNSET_PASSWORD", raising=False)
    expected = _expectations(case)
    code, lines = _validate(case, capsys)
    assert code == 1
    diagnostics = lines[:-1]
    assert lines[-1] == f"{len(diagnostics)} error(s) found."
    for expectation in expected:
        assert any(expectation.matches(line) for line in diagnostics), (
            f"missing {expectation}\ngot:\n" + "\n".join(diagnostics)
        )
    unexpected = [line for line in diagnostics if not any(e.matches(line) for e in expected)]
    assert not unexpected, "unexpected diagnostics:\n" + "\n".join(unexpected)
