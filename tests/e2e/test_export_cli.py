"""`main.py export` as a user runs it: files read back, errors on one line."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
from pptx import Presentation
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_csv_equals_schedule_csv(tmp_path):
    out = tmp_path / "s.csv"
    result = run("export", "--out", str(out))
    assert result.returncode == 0, result.stderr
    printed = run("schedule", "--csv").stdout
    assert out.read_text() == printed


def test_xlsx_pptx_pdf_png(tmp_path):
    for name in ("deal.xlsx", "deal.pptx", "deal.pdf", "deal.png"):
        result = run("export", "--out", str(tmp_path / name))
        assert result.returncode == 0, (name, result.stderr)
        assert "Traceback" not in result.stderr
    book = openpyxl.load_workbook(tmp_path / "deal.xlsx")
    assert set(book.sheetnames) >= {"Inputs", "Schedule", "Key figures", "Charts"}
    assert "TotalContractValue" in book.defined_names
    deck = Presentation(str(tmp_path / "deal.pptx"))
    assert len(deck.slides) >= 9
    first_page = PdfReader(str(tmp_path / "deal.pdf")).pages[0].extract_text()
    assert "Colossus lease 2026" in " ".join(first_page.split())
    assert (tmp_path / "deal.png").read_bytes()[:4] == b"\x89PNG"


def test_scenario_file_argument(tmp_path):
    from core.presets import default_scenario
    from core.scenario_file import save_scenario
    scenario = default_scenario().with_changes("contract", monthly_fee=2e9)
    source = tmp_path / "deal.json"
    save_scenario(scenario, source)
    out = tmp_path / "deal.csv"
    result = run("export", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    # A whole-dollar payment is written as an integer (no ".0").
    assert out.read_text().splitlines()[1].split(",")[8] == "2000000000"


def test_errors_are_one_line(tmp_path):
    existing = tmp_path / "kept.pptx"
    existing.write_text("keep me")
    cases = [
        (("export", "--out", str(existing)), 2, "already exists"),
        (("export", "--out", str(tmp_path / "nowhere" / "x.xlsx")), 1, "does not exist"),
        (("export", "--out", str(tmp_path / "x.docx")), 2, "must end in"),
        (("export", str(tmp_path / "missing.json"), "--out", str(tmp_path / "x.csv")), 2, ""),
        (("export",), 2, "--out"),
    ]
    for args, code, words in cases:
        result = run(*args)
        assert result.returncode == code, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.stderr
    assert existing.read_text() == "keep me"
    assert run("export", "--out", str(existing), "--force").returncode == 0
    assert existing.read_bytes()[:2] == b"PK"
