"""Reasons for mismatches that Excel's own version changes explain, matched on the values."""

from imports.services.book import CellError, Reason
from validation.explain import CellFacts, WorkbookFacts, mismatch_reason

TRUSTED = WorkbookFacts(cache_trusted=True, cache_trust_note="")


def facts(functions: str) -> CellFacts:
    return CellFacts(
        functions=functions, is_volatile=False, is_random=False, is_external=False,
        after_iteration=False,
    )  # fmt: skip


def test_an_empty_array_is_calc_now_and_was_value_then():
    # ironcalc/DROP_TAKE.xlsx Sheet1!C2: =DROP(A2:A8,-7), cached #VALUE!
    reason, detail = mismatch_reason(
        facts(",DROP,"),
        TRUSTED,
        "error",
        cached=CellError("#VALUE!"),
        calculated=CellError("#CALC!"),
    )
    assert reason == Reason.ENGINE_DIFFERENCE and "#CALC!" in detail


def test_text_of_a_negative_time_was_formatted_by_older_excel():
    # apache-poi/ElapsedFormatTests.xlsx Tests!A32: =TEXT(C32, "[h]:m:s.000") cached "-2:3:4.000"
    reason, detail = mismatch_reason(
        facts(",TEXT,"), TRUSTED, "type", cached="-2:3:4.000", calculated=CellError("#VALUE!")
    )
    assert reason == Reason.ENGINE_DIFFERENCE and "negative time" in detail


def test_other_shapes_stay_unexplained():
    cases = [
        (",DROP,", CellError("#VALUE!"), CellError("#N/A")),
        (",SUM,", CellError("#VALUE!"), CellError("#CALC!")),
        (",TEXT,", "2:3:4", CellError("#VALUE!")),
        (",TEXT,", "-2:3:4", "-2:3:5"),
    ]
    for functions, cached, calculated in cases:
        reason, _ = mismatch_reason(
            facts(functions), TRUSTED, "x", cached=cached, calculated=calculated
        )
        assert reason == Reason.UNEXPLAINED, (functions, cached, calculated)


def test_approximations_within_excels_documented_accuracy():
    # ironcalc/IRR.xlsx "Three Parameters"!D2 and ironcalc/BESSEL.xlsx BESSELJ!C14
    irr, _ = mismatch_reason(
        facts(",IRR,"), TRUSTED, "number", cached=1.091399510766422e-07,
        calculated=-4.3809492023866345e-09,
    )  # fmt: skip
    bessel, _ = mismatch_reason(
        facts(",BESSELJ,"), TRUSTED, "number", cached=0.04347224965225415,
        calculated=0.04347274633934274,
    )  # fmt: skip
    assert irr == bessel == Reason.ENGINE_DIFFERENCE
    far, _ = mismatch_reason(facts(",IRR,"), TRUSTED, "number", cached=0.1, calculated=0.11)
    assert far == Reason.UNEXPLAINED


GERMAN_EXCEL = WorkbookFacts(True, "", application="Microsoft Excel 16.0300", language="de")
LIBREOFFICE = WorkbookFacts(True, "", application="LibreOffice/6.4.3.2$Linux_X86_64")


def test_text_formats_follow_the_saving_excels_regional_settings():
    # apache-poi/61495-test.xlsm TEST!B1: TEXT(67.1,"00.00") in a German Excel is "0.067"
    reason, detail = mismatch_reason(
        facts(",IF,CONCATENATE,TEXT,"), GERMAN_EXCEL, "text", cached="D 0.067", calculated="D 67.10"
    )
    assert reason == Reason.ENGINE_DIFFERENCE and "regional settings (de" in detail
    english, _ = mismatch_reason(
        facts(",TEXT,"), TRUSTED, "text", cached="0.067", calculated="67.10"
    )
    assert english == Reason.UNEXPLAINED


def test_dates_typed_as_text_read_day_before_month():
    # ironcalc/T_VALUE_VALUETOTEXT.xlsx Sheet1!I5: VALUE("10-12-1999") is 10 December there
    reason, detail = mismatch_reason(
        facts(",VALUE,"), TRUSTED, "number", cached=36504.0, calculated=36445.0
    )
    assert reason == Reason.ENGINE_DIFFERENCE and "day before month" in detail
    for cached, calculated in [(36505.0, 36445.0), (36504.5, 36445.0), (5.0, 6.0)]:
        other, _ = mismatch_reason(
            facts(",VALUE,"), TRUSTED, "number", cached=cached, calculated=calculated
        )
        assert other == Reason.UNEXPLAINED, (cached, calculated)


def test_libreoffice_writes_its_own_error_codes_as_value():
    # xlcalculator/SQRT.xlsx Sheet1!B1: SQRT(-16), saved by LibreOffice as #VALUE!
    reason, detail = mismatch_reason(
        facts(",SQRT,"), LIBREOFFICE, "error",
        cached=CellError("#VALUE!"), calculated=CellError("#NUM!"),
    )  # fmt: skip
    assert reason == Reason.ENGINE_DIFFERENCE and "LibreOffice" in detail
    excel, _ = mismatch_reason(
        facts(",SQRT,"), TRUSTED, "error",
        cached=CellError("#VALUE!"), calculated=CellError("#NUM!"),
    )  # fmt: skip
    assert excel == Reason.UNEXPLAINED


def test_undocumented_limits():
    # ironcalc/BINOM.xlsx BINOM.DIST!E37: BINOM.DIST(1E10, 1E30, 0.3, TRUE)
    reason, _ = mismatch_reason(
        facts(",BINOM.DIST,"), TRUSTED, "type", cached=CellError("#NUM!"), calculated=0.0
    )
    assert reason == Reason.ENGINE_DIFFERENCE
    other, _ = mismatch_reason(
        facts(",BINOM.DIST,"), TRUSTED, "type", cached=CellError("#DIV/0!"), calculated=0.0
    )
    assert other == Reason.UNEXPLAINED
