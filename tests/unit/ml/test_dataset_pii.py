"""PII detection: each kind, the usual false positives, and proof that values never leak."""

from __future__ import annotations

import json

import pytest

from inspecpy.ml.dataset.engine import DatasetFile
from inspecpy.ml.dataset.pii import count_matches, luhn_valid


@pytest.mark.parametrize("text, kind", [
    ("jane.doe+news@mail.example.co.uk", "email"),
    ("555-123-4567", "phone"), ("(555) 123-4567", "phone"), ("+1 555 123 4567", "phone"),
    ("+447911123456", "phone"), ("555.123.4567", "phone"),
    ("4111 1111 1111 1111", "card"), ("4111-1111-1111-1111", "card"), ("378282246310005", "card"),
    ("123-45-6789", "ssn"),
    ("192.168.10.254", "ipv4"), ("10.0.0.1:8080", "ipv4"),
    ("from 10.2.3.4 (version 2)", "ipv4"), ("conversion 10.2.3.4", "ipv4"),
])
def test_each_kind_is_found(text, kind):
    assert list(count_matches(f"see {text} here")) == [kind]


@pytest.mark.parametrize("text", [
    "0.123456", "-1.5e-05", "3.14159", "1700000000", "5551234567", "12345678",
    "4111111111111112",  # fails the Luhn check
    "000-12-3456", "666-12-3456", "123-00-4567",  # impossible SSNs
    "256.1.1.1", "1.2.3", "v1.2.3.4.5", "2023-01-15", "not an @ address",
    "version 10.2.3.4", "Version: 10.2.3.4", "upgraded to release 4.1.0.12", "build 2.0.1.7 fixed",
    "firmware v. 1.0.3.2", "ver=5.4.3.2", "rev #1.2.3.4",
])
def test_look_alikes_are_not_pii(text):
    assert count_matches(text) == {}


def test_luhn():
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")


SECRETS = ["alice@corp.example", "4111111111111111", "078-05-1120", "+15551234567", "10.1.2.3"]


def test_findings_name_kind_column_count_and_row_never_the_value(tmp_path):
    path = tmp_path / "people.csv"
    rows = ["id,contact,card,note,y"]
    rows.append(f"1,{SECRETS[0]},{SECRETS[1]},ssn {SECRETS[2]},0")
    rows.append(f"2,call {SECRETS[3]},,host {SECRETS[4]},1")
    rows.append(f"3,{SECRETS[0]},,,1")
    path.write_text("\n".join(rows) + "\n")
    findings = DatasetFile.from_path(path, label="y").stats.pii
    assert [(f.kind, f.column, f.count, f.first_row) for f in findings] == [
        ("email", "contact", 2, 1), ("phone", "contact", 1, 2),
        ("card", "card", 1, 1),
        ("ssn", "note", 1, 1), ("ipv4", "note", 1, 2),
    ]
    shown = " ".join(str(f) for f in findings) + json.dumps([f.to_dict() for f in findings]) + repr(findings)
    for secret in SECRETS:
        assert secret not in shown
        assert secret.replace("-", "") not in shown and secret.split("@")[0] not in shown
    assert str(findings[0]) == "2 email in column contact (first at row 1)"


def test_pii_in_numeric_columns_and_other_formats(tmp_path):
    # a card or E.164 phone stored as a number is still found; ordinary numbers are not
    path = tmp_path / "n.csv"
    path.write_text("x,card,y\n1.5,4111111111111111,0\n2.5,12345678,1\n3,+15551234567,1\n")
    found = {(f.kind, f.column, f.count) for f in DatasetFile.from_path(path, label="y").stats.pii}
    assert found == {("card", "card", 1), ("phone", "card", 1)}
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text('{"n": 4111111111111111, "t": "mail bob@x.example"}\n{"n": 7, "t": null}\n')
    found = {(f.kind, f.column) for f in DatasetFile.from_path(jsonl).stats.pii}
    assert found == {("card", "n"), ("email", "t")}


def test_clean_dataset_has_no_findings(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("a,b,y\n" + "".join(f"{i * 0.37:.3f},{i},{i % 2}\n" for i in range(200)))
    assert DatasetFile.from_path(path, label="y").stats.pii == []
