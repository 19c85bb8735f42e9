"""The pipeline with a FakeEvaluator: stage order, rows written, all-or-nothing."""

import pytest

from imports.models import Cell, CycleGroup, NamedRange, Sheet, Workbook
from imports.services import pipeline
from imports.services.pipeline import ImportContext, ImportFailed, ImportOptions, run_import
from imports.services.stages import Stage
from tests import badfiles
from tests.fakes import FakeEvaluator
from validation.models import Mismatch, ValidationRun

pytestmark = pytest.mark.django_db

CIRCULAR = "apache-poi/57535.xlsx"  # E2..E6, a two-cell cycle E5/E6, iterate="1"


def context(path, evaluator, **options):
    return ImportContext(
        path=path,
        original_filename=path.name,
        options=ImportOptions(**options),
        evaluator_factory=evaluator,
    )


def replace_stage(monkeypatch, stage, step):
    stages = [(s, step if s == stage else f) for s, f in pipeline.STAGES]
    monkeypatch.setattr(pipeline, "STAGES", stages)


def all_rows():
    return [
        model.objects.count()
        for model in (Workbook, Sheet, Cell, NamedRange, CycleGroup, ValidationRun, Mismatch)
    ]


def test_every_stage_runs_in_order_and_rows_are_written(corpus_workbook, progress):
    fake = FakeEvaluator({("Sheet1", "E2"): 3, ("Sheet1", "E3"): 999})
    ctx = run_import(context(corpus_workbook(CIRCULAR), fake), progress=progress)
    assert progress.stages == [stage.value for stage in Stage]
    percents = [percent for _, percent, _ in progress.calls]
    assert percents == sorted(percents) and percents[-1] == 100.0
    workbook = Workbook.objects.get(pk=ctx.workbook_id)
    assert (workbook.sheet_count, workbook.formula_count) == (3, 5)
    assert workbook.iterate_enabled
    assert fake.closed >= 1
    e2 = Cell.objects.get(workbook=workbook, address="E2")
    assert (e2.formula, e2.calc_number, e2.cached_number, e2.status) == (
        "=D2+1",
        3.0,
        3.0,
        "matched",
    )
    e3 = Cell.objects.get(workbook=workbook, address="E3")
    assert e3.status == "mismatched"
    assert Mismatch.objects.get(cell=e3).difference == pytest.approx(998)
    assert ctx.summary["matched"] == 1 and ctx.summary["mismatched"] == 1


def test_a_formula_the_engine_cannot_compute_is_null_with_a_reason(corpus_workbook, progress):
    fake = FakeEvaluator(failures={("Sheet1", "E2"): "boom"})
    ctx = run_import(context(corpus_workbook(CIRCULAR), fake), progress=progress)
    e2 = Cell.objects.get(workbook_id=ctx.workbook_id, address="E2")
    assert e2.calc_type is None and e2.calc_number is None
    assert (e2.status, e2.reason, e2.reason_detail) == ("not_evaluated", "engine_error", "boom")
    assert e2.cached_number == 3.0  # Excel's value is kept, never copied across


def test_cycle_groups_are_stored_and_flagged(corpus_workbook, progress):
    ctx = run_import(context(corpus_workbook(CIRCULAR), FakeEvaluator()), progress=progress)
    group = CycleGroup.objects.get(workbook_id=ctx.workbook_id)
    assert group.cells == ["Sheet1!E5", "Sheet1!E6"] and group.iterated
    assert set(
        Cell.objects.filter(workbook_id=ctx.workbook_id, is_circular=True).values_list(
            "address", flat=True
        )
    ) == {"E5", "E6"}


def test_store_leaves_no_rows_when_a_later_stage_fails(corpus_workbook, progress, monkeypatch):
    def broken_validation(ctx, *, progress):
        raise RuntimeError("disk full")

    replace_stage(monkeypatch, Stage.VALIDATE, broken_validation)
    before = all_rows()
    with pytest.raises(ImportFailed) as caught:
        run_import(context(corpus_workbook(CIRCULAR), FakeEvaluator()), progress=progress)
    assert caught.value.stage == "validate"
    assert "disk full" in caught.value.message
    assert all_rows() == before


def test_engine_crash_fails_the_evaluate_stage_with_its_message(corpus_workbook, progress):
    fake = FakeEvaluator(crash="The engine ran out of memory (heap limit 3072 MB).")
    with pytest.raises(ImportFailed) as caught:
        run_import(context(corpus_workbook(CIRCULAR), fake), progress=progress)
    assert caught.value.stage == "evaluate"
    assert "out of memory" in caught.value.message
    assert all_rows() == [0] * 7


@pytest.mark.parametrize(
    ("build", "stage"),
    [
        (lambda tmp, good: badfiles.empty(tmp), "inspect"),
        (lambda tmp, good: badfiles.not_a_zip(tmp), "inspect"),
        (badfiles.truncated, "inspect"),
        (lambda tmp, good: badfiles.legacy_xls(tmp), "inspect"),
        (badfiles.encrypted, "inspect"),
        (badfiles.no_sheets, "read_formulas"),
    ],
)
def test_bad_input_stops_early_and_stores_nothing(
    tmp_path, corpus_workbook, progress, build, stage
):
    path = build(tmp_path, corpus_workbook(badfiles.GOOD))
    with pytest.raises(ImportFailed) as caught:
        run_import(context(path, FakeEvaluator()), progress=progress)
    assert caught.value.stage == stage
    assert "\n" not in caught.value.message
    assert all_rows() == [0] * 7


def test_same_bytes_point_to_the_existing_workbook(corpus_workbook, progress, user):
    path = corpus_workbook(CIRCULAR)
    first = run_import(context(path, FakeEvaluator(), owner_id=user.pk), progress=progress)
    again = run_import(context(path, FakeEvaluator(), owner_id=user.pk), progress=progress)
    assert again.duplicate_of == first.workbook_id
    assert again.summary["duplicate_of"] == first.workbook_id
    assert Workbook.objects.count() == 1
    forced = run_import(
        context(path, FakeEvaluator(), owner_id=user.pk, force=True), progress=progress
    )
    assert forced.workbook_id != first.workbook_id


def test_the_stored_file_is_kept_and_removed_on_failure(corpus_workbook, progress, monkeypatch):
    from django.core.files.storage import default_storage

    ctx = run_import(context(corpus_workbook(CIRCULAR), FakeEvaluator()), progress=progress)
    workbook = Workbook.objects.get(pk=ctx.workbook_id)
    assert default_storage.exists(workbook.file.name)

    def broken(ctx, *, progress):
        raise RuntimeError("late failure")

    replace_stage(monkeypatch, Stage.VALIDATE, broken)
    failing = context(corpus_workbook(CIRCULAR), FakeEvaluator(), force=True)
    with pytest.raises(ImportFailed):
        run_import(failing, progress=progress)
    assert failing.stored_file is None
    assert Workbook.objects.count() == 1


def test_cancellation_between_stages_leaves_nothing(corpus_workbook, progress):
    ctx = context(corpus_workbook(CIRCULAR), FakeEvaluator())
    ctx.should_cancel = lambda: "parse" in progress.stages
    with pytest.raises(ImportFailed) as caught:
        run_import(ctx, progress=progress)
    assert caught.value.code == "cancelled"
    assert all_rows() == [0] * 7


def test_mismatches_are_marked_root_cause_or_propagated(corpus_workbook, progress):
    # E5 = 0.1*(E4+E6) reads constants only via E4 (E6 is in its cycle); E6 = E4+E5 reads E5.
    fake = FakeEvaluator(
        {
            ("Sheet1", "E2"): 3,
            ("Sheet1", "E3"): 1,
            ("Sheet1", "E4"): 6,
            ("Sheet1", "E5"): 9,
            ("Sheet1", "E6"): 9,
        }
    )
    fake.iterate = lambda cells, **kw: __import__(
        "imports.services.evaluator", fromlist=["IterationOutcome"]
    ).IterationOutcome(iterations=1, max_change=0.0, converged=True)
    ctx = run_import(context(corpus_workbook(CIRCULAR), fake), progress=progress)
    mismatches = {
        m.cell.address: m.is_root_cause
        for m in Mismatch.objects.filter(run__workbook_id=ctx.workbook_id).select_related("cell")
    }
    assert mismatches["E6"] is False  # reads the mismatching E5
    assert ctx.summary["root_causes"] == sum(mismatches.values())


def test_deleting_a_workbook_removes_rows_and_file(
    corpus_workbook, progress, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from imports.services.workbooks import workbook_delete

    ctx = run_import(context(corpus_workbook(CIRCULAR), FakeEvaluator()), progress=progress)
    workbook = Workbook.objects.get(pk=ctx.workbook_id)
    name = workbook.file.name
    with django_capture_on_commit_callbacks(execute=True):
        workbook_delete(workbook)
    assert all_rows() == [0] * 7
    assert not default_storage.exists(name)
