"""docs/ijw-rules.md stays honest: every registered rule and every retourcode produced on receipt is in the
table, every "where" is a real module attribute, and every test named there exists."""

import ast
import importlib
import re
from pathlib import Path

import pytest

from messaging.validation import RULES

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "ijw-rules.md"
CODE = re.compile(r"\b(?:RS|CS|CD|TR|OP|IV)[0-9]{3}(?:x[0-9])?\b")
RETOURCODE = re.compile(r"\b(?:[0-9]{4}|S[0-9]{3})\b")
RECEIVING = ("messaging/services/receiving.py", "messaging/services/cross_rules.py")


def _rows() -> list[dict]:
    rows = []
    for line in TABLE.read_text().splitlines():
        if not line.startswith("| "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        codes = CODE.findall(cells[0])
        if not codes or len(cells) != 6:
            continue  # the header row and the separator
        _rule, messages, retourcode, where, test, meaning = cells
        rows.append(
            {
                "codes": codes,
                "messages": re.findall(r"JW[0-9]{3}", messages) or (["all"] if messages == "all" else []),
                "retourcodes": RETOURCODE.findall(retourcode),
                "where": [w.strip("` ") for w in where.split(",")],
                "tests": [t.strip("` ") for t in test.split(",") if t.strip("` ") != "—"],
                "meaning": meaning,
                "line": line,
            }
        )
    return rows


ROWS = _rows()


def _checked(row) -> bool:
    return row["where"][0] not in {"n/a", "open"}


def test_the_table_has_rows():
    assert len(ROWS) > 100
    assert all(row["messages"] for row in ROWS), [r["line"] for r in ROWS if not r["messages"]]


def test_every_registered_rule_is_a_checked_row_for_each_of_its_messages_naming_its_function():
    for msg, rules in RULES.items():
        for code, fn in rules:
            where = f"{fn.__module__.replace('.', '/')}.py:{fn.__name__}"
            rows = [r for r in ROWS if code in r["codes"] and where in r["where"]]
            assert rows, f"{code} ({msg}): no row with where {where}"
            assert any(msg.upper() in r["messages"] or "all" in r["messages"] for r in rows), f"{code} {msg}"


def _produced_retourcodes() -> set[str]:
    codes = set()
    for path in RECEIVING:
        tree = ast.parse((ROOT / path).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and RETOURCODE.fullmatch(node.value):
                codes.add(node.value)
    return codes


def test_every_retourcode_produced_on_receipt_is_in_the_table():
    produced = _produced_retourcodes()
    assert {"0001", "9019", "9326", "9332", "9347", "9355", "9359", "9360", "9365", "9379"} <= produced
    in_table = {c for r in ROWS for c in r["retourcodes"]}
    assert produced <= in_table, produced - in_table


def _attribute(where: str):
    module, _, name = where.partition(":")
    assert module.endswith(".py") and name, f"'{where}' is not module.py:function"
    return getattr(importlib.import_module(module.removesuffix(".py").replace("/", ".")), name)


@pytest.mark.parametrize("row", [r for r in ROWS if _checked(r)], ids=lambda r: r["codes"][0])
def test_every_checked_row_names_a_real_place_and_an_existing_test(row):
    assert row["tests"], f"{row['codes']}: checked without a test"
    for where in row["where"]:
        if where != "XSD":
            assert callable(_attribute(where)), where
    for test in row["tests"]:
        path, _, name = test.partition("::")
        file = ROOT / path
        assert file.is_file(), test
        defined = {
            n.name
            for n in ast.walk(ast.parse(file.read_text()))
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        assert name.startswith("test_"), test
        if name.endswith("*"):
            assert any(d.startswith(name[:-1]) for d in defined), test
        else:
            assert name in defined, test


def test_rows_not_checked_give_a_reason_and_no_test():
    for row in ROWS:
        if not _checked(row):
            assert not row["tests"], row["line"]
            assert len(row["meaning"]) > 40, row["line"]  # the reason why it is not (yet) checked


def test_section_5_of_the_notes_is_covered():
    """Every rule code the notes name in §5 (and the rules of the retourcode table in §4.9) is a row. The codes
    are kept beside this test (ijw_notes_rules.txt); where the notes themselves are at hand, the copy must
    still be what they name."""
    copied = Path(__file__).with_name("ijw_notes_rules.txt").read_text().splitlines()
    named = {line for line in copied if line and not line.startswith("#")}
    notes = ROOT.parent / "shared" / "ijw" / "IJW-3.2-NOTES.md"
    if notes.is_file():
        text = notes.read_text()
        section = text[text.index("### 4.9 Retourcodes") : text.index("## 6. Message flow")]
        assert set(CODE.findall(section)) - {"RS0xx"} == named
    in_table = {c for r in ROWS for c in r["codes"]}
    assert named <= in_table, sorted(named - in_table)
