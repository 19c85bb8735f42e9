import resource

from django.apps import AppConfig
from django.conf import settings


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Jobs"

    def ready(self):
        from django_q.signals import post_spawn

        post_spawn.connect(limit_worker_memory, dispatch_uid="dcmodel-worker-memory")


def limit_worker_memory(sender, proc_name, **kwargs):
    """Cap a Django-Q worker's address space (soft limit), so a runaway import raises a
    catchable MemoryError and its job is marked failed, instead of the kernel's OOM
    killer SIGKILLing the worker (RELIABILITY.md 2.1). The Node engine sets its own cap."""
    from multiprocessing import parent_process

    megabytes = getattr(settings, "DCMODEL_WORKER_MEMORY_MB", 0)
    # Django-Q's sync mode runs the worker loop (and sends this signal) inside the calling
    # process: the web server or a test. Only a spawned worker process is capped.
    if megabytes and parent_process() is not None:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = megabytes * 1024 * 1024
        if hard == resource.RLIM_INFINITY or limit <= hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
