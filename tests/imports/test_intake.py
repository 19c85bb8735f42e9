from pathlib import Path

import pytest

from imports.services.intake import IntakeError, hash_file, inspect_file
from tests import badfiles


def inspect(path: Path):
    return inspect_file(path, hash_file(path))


def test_hash_file_gives_sha256_and_size(corpus_workbook):
    import hashlib

    path = corpus_workbook(badfiles.GOOD)
    facts = hash_file(path)
    assert facts.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert facts.size == path.stat().st_size


def test_a_real_workbook_passes_inspection(corpus_workbook):
    facts = inspect(corpus_workbook(badfiles.GOOD))
    assert facts.kind == "xlsx" and not facts.has_macros


def test_a_macro_workbook_is_recognised(corpus_workbook):
    facts = inspect(corpus_workbook("apache-poi/61495-test.xlsm"))
    assert facts.kind == "xlsm" and facts.has_macros


@pytest.mark.parametrize(
    ("build", "code", "words"),
    [
        (lambda tmp, good: badfiles.empty(tmp), "empty", "empty"),
        (lambda tmp, good: badfiles.not_a_zip(tmp), "not_a_workbook", "not an Excel workbook"),
        (badfiles.truncated, "damaged", "damaged or truncated"),
        (lambda tmp, good: badfiles.legacy_xls(tmp), "xls", ".xls"),
        (badfiles.encrypted, "encrypted", "password-protected"),
        (lambda tmp, good: badfiles.zip_bomb(tmp), "zip_bomb", "zip bomb"),
        (lambda tmp, good: badfiles.word_document(tmp), "not_a_workbook", "Word"),
    ],
)
def test_bad_inputs_get_a_one_line_human_error(tmp_path, corpus_workbook, build, code, words):
    path = build(tmp_path, corpus_workbook(badfiles.GOOD))
    with pytest.raises(IntakeError) as caught:
        inspect(path)
    assert caught.value.code == code
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)
