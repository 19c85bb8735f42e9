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
