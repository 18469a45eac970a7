"""
Prometheus: the tasks' counters, the worker's own ``/metrics`` server, and
multiprocess mode. With ``PROMETHEUS_MULTIPROC_DIR`` set, every process
(gunicorn workers, Celery pool processes) writes its counters to files there,
and ``/metrics`` adds them up (docs/observability.md). The web processes'
``/metrics`` is answered by ``core.middleware.MetricsMiddleware``.

No Django import: the settings module and ``gunicorn.conf.py`` use this.
The signal receivers are connected by ``CoreConfig.ready``.
"""

import logging
import os
import shutil
from typing import Any

from celery import Task
from celery.signals import (
    celeryd_init,
    task_failure,
    task_retry,
    task_success,
    worker_process_shutdown,
    worker_ready,
)
from prometheus_client import Counter

logger = logging.getLogger(__name__)

TASKS = Counter(
    "celery_tasks_total",
    "Tasks run by the workers, by task name and outcome (succeeded, retried, failed).",
    ["task", "outcome"],
)


def prepare_metrics_directory(*, empty: bool = False) -> None:
    """
    Create the directory when it is set; ``empty`` first drops an earlier
    run's files, whose counts would otherwise be added in.
    """
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        return
    if empty:
        shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)


def forget_metrics_process(pid: int) -> None:
    """Drop a dead process's live gauges, which would otherwise be reported forever."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


# --- Tasks ----------------------------------------------------------------------


@task_success.connect
def count_success(sender: Task, **kwargs: Any) -> None:
    TASKS.labels(sender.name, "succeeded").inc()


@task_retry.connect
def count_retry(sender: Task, **kwargs: Any) -> None:
    TASKS.labels(sender.name, "retried").inc()


@task_failure.connect
def count_failure(sender: Task, **kwargs: Any) -> None:
    TASKS.labels(sender.name, "failed").inc()


# --- The worker's /metrics --------------------------------------------------------


@celeryd_init.connect
def empty_metrics_directory(**kwargs: Any) -> None:
    """Stale files from an earlier run would add old counts (as in gunicorn.conf.py)."""
    if os.environ.get("WORKER_METRICS_PORT", "").strip():
        prepare_metrics_directory(empty=True)


@worker_ready.connect
def serve_worker_metrics(**kwargs: Any) -> None:
    """
    With ``WORKER_METRICS_PORT`` set, the worker serves its own ``/metrics``.

    The pool processes count into PROMETHEUS_MULTIPROC_DIR (required then)
    and this endpoint, in the worker's main process, adds them up.
    """
    port = os.environ.get("WORKER_METRICS_PORT", "").strip()
    if not port:
        return
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    address = os.environ.get("WORKER_METRICS_ADDR", "0.0.0.0")  # noqa: S104 (inside the container)
    start_http_server(int(port), addr=address, registry=registry)
    logger.info("Worker metrics on port %s", port)


@worker_process_shutdown.connect
def forget_pool_process(pid: int | None = None, **kwargs: Any) -> None:
    forget_metrics_process(pid or os.getpid())
