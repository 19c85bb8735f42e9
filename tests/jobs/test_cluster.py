"""Jobs through a real `qcluster` process, on whichever broker the settings choose:
the ORM broker on SQLite by default, Redis with PostgreSQL in the CI's second run.

A worker SIGKILLed mid-import, an engine killed mid-import and a task past its time
limit each end with the job failed with a reason, no rows left, no Node process
left, and the pool still serving the next job.
"""

import os
import signal

import pytest

from imports.models import Cell, Workbook
from jobs.models import JobRun
from jobs.services import import_job_start, job_cancel, job_fail_stale
from tests.jobs.cluster import alive, ancestors, engines_under, parent_of, qcluster, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.cluster]

SMALL = "apache-poi/57535.xlsx"


@pytest.fixture
def real_queue(monkeypatch):
    """Enqueue for real (the test settings run Django-Q inline)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture(scope="session")
def big_workbook(tmp_path_factory):
    """A synthetic model big enough (about 150,000 formulas) to be caught mid-evaluation."""
    from bench.generate_workbook import build

    path = tmp_path_factory.mktemp("big") / "big-model.xlsx"
    build(150_000, path)
    return path


def submit(path, user):
    with open(path, "rb") as handle:
        return import_job_start(handle, user=user, filename=path.name)


def status(job):
    job.refresh_from_db()
    return job.status if job.is_finished else None


def reached(job, stage):
    job.refresh_from_db()
    return job.stage == stage or job.is_finished


def no_rows_of(job):
    job.refresh_from_db()
    return job.workbook_id is None and not Workbook.objects.filter(jobs=job).exists()


def test_a_real_worker_imports_a_workbook(tmp_path, real_queue, user, corpus_workbook):
    with qcluster(tmp_path / "qcluster.log"):
        job = submit(corpus_workbook(SMALL), user)
        assert wait_for(lambda: status(job), timeout=120, what="the job") == "success", job.error
    assert job.workbook.cells.filter(status="matched").count() == 5


def test_a_killed_worker_fails_the_job_and_the_pool_goes_on(
    tmp_path, real_queue, user, corpus_workbook, big_workbook
):
    with qcluster(tmp_path / "qcluster.log", DCMODEL_STALE_AFTER=5) as cluster:
        job = submit(big_workbook, user)
        wait_for(lambda: reached(job, "evaluate"), timeout=240, what="the evaluate stage")
        engine = wait_for(lambda: engines_under(cluster.pid), timeout=60, what="the engine")[0]
        worker = parent_of(engine)
        os.kill(worker, signal.SIGKILL)
        wait_for(lambda: not alive(engine), timeout=30, what="the engine to exit")
        # The periodic check (a Django-Q schedule in production) fails the silent job.
        from django.test import override_settings

        with override_settings(DCMODEL_STALE_AFTER=5):
            wait_for(lambda: job_fail_stale() or status(job), timeout=60, what="staleness")
        assert status(job) == "failed"
        assert "stopped responding" in job.message
        assert no_rows_of(job) and Cell.objects.count() == 0
        follow_up = submit(corpus_workbook(SMALL), user)
        assert wait_for(lambda: status(follow_up), timeout=180, what="the next job") == "success"


def test_a_killed_engine_fails_the_evaluate_stage(
    tmp_path, real_queue, user, corpus_workbook, big_workbook
):
    with qcluster(tmp_path / "qcluster.log") as cluster:
        job = submit(big_workbook, user)
        wait_for(lambda: reached(job, "evaluate"), timeout=240, what="the evaluate stage")
        engine = wait_for(lambda: engines_under(cluster.pid), timeout=60, what="the engine")[0]
        os.kill(engine, signal.SIGKILL)
        assert wait_for(lambda: status(job), timeout=120, what="the job") == "failed"
        assert job.error["stage"] == "evaluate" and "killed" in job.error["message"]
        assert no_rows_of(job)
        follow_up = submit(corpus_workbook(SMALL), user)
        assert wait_for(lambda: status(follow_up), timeout=120, what="the next job") == "success"
        assert not alive(engine)


def test_a_job_past_its_time_limit_fails_and_leaves_no_engine(
    tmp_path, real_queue, user, corpus_workbook, big_workbook
):
    with qcluster(tmp_path / "qcluster.log", DCMODEL_JOB_TIMEOUT=20) as cluster:
        job = submit(big_workbook, user)
        engine = wait_for(lambda: engines_under(cluster.pid), timeout=60, what="the engine")[0]
        assert wait_for(lambda: status(job), timeout=180, what="the job") == "failed"
        assert "time limit" in job.message, job.message
        assert no_rows_of(job)
        wait_for(lambda: not alive(engine), timeout=30, what="the engine to exit")
        follow_up = submit(corpus_workbook(SMALL), user)
        assert wait_for(lambda: status(follow_up), timeout=120, what="the next job") == "success"


def test_a_running_job_can_be_cancelled(tmp_path, real_queue, user, big_workbook):
    with qcluster(tmp_path / "qcluster.log"):
        job = submit(big_workbook, user)
        wait_for(lambda: reached(job, "read_values"), timeout=240, what="reading")
        job_cancel(job)
        assert wait_for(lambda: status(job), timeout=240, what="the job") == "cancelled"
        assert no_rows_of(job) and Cell.objects.count() == 0


def test_a_job_delivered_twice_runs_once(tmp_path, real_queue, user, corpus_workbook):
    from django_q.tasks import async_task

    with qcluster(tmp_path / "qcluster.log"):
        job = submit(corpus_workbook(SMALL), user)
        async_task("jobs.tasks.import_job_run", str(job.pk))  # a second delivery
        assert wait_for(lambda: status(job), timeout=120, what="the job") == "success"
        import time

        time.sleep(3)
    assert Workbook.objects.count() == 1
    assert JobRun.objects.get(pk=job.pk).attempts == 1


MANY = [
    "apache-poi/57535.xlsx",
    "apache-poi/45544.xlsx",
    "apache-poi/ExcelTables.xlsx",
    "apache-poi/55906-MultiSheetRefs.xlsx",
    "apache-poi/Booleans.xlsx",
    "apache-poi/formula-eval.xlsx",
]


def test_two_clusters_share_the_queue_and_import_each_workbook_once(
    tmp_path, real_queue, user, corpus_workbook
):
    """Two qcluster processes (as on two machines) on one broker and database: several
    workbooks, each also delivered a second time, are imported exactly once each, and
    both clusters take part."""
    from django_q.tasks import async_task

    with (
        qcluster(tmp_path / "qcluster-a.log", DCMODEL_WORKERS=1, DJANGO_LOG_LEVEL="INFO") as first,
        qcluster(tmp_path / "qcluster-b.log", DCMODEL_WORKERS=1, DJANGO_LOG_LEVEL="INFO") as second,
    ):
        for log in ("qcluster-a.log", "qcluster-b.log"):
            wait_for(
                lambda log=log: "running" in (tmp_path / log).read_text(), timeout=60, what=log
            )
        jobs = [submit(corpus_workbook(name), user) for name in MANY]
        for job in jobs:
            async_task("jobs.tasks.import_job_run", str(job.pk))  # a second delivery each
        for job in jobs:
            outcome = wait_for(lambda job=job: status(job), timeout=300, what=str(job.pk))
            assert outcome == "success", job.error
        clusters = {first.pid: "a", second.pid: "b"}
        ran_on = {}
        for job in jobs:
            job.refresh_from_db()
            assert job.attempts == 1
            host, pid = job.worker.rsplit(":", 1)
            parents = ancestors(int(pid))
            ran_on[job.original_filename] = next(
                (clusters[p] for p in parents if p in clusters), None
            )
    assert Workbook.objects.count() == len(MANY)
    assert sorted(Workbook.objects.values_list("original_filename", flat=True)) == sorted(
        name.split("/")[-1] for name in MANY
    )
    assert set(ran_on.values()) == {"a", "b"}, ran_on
