"""
Prometheus's multiprocess mode: with ``PROMETHEUS_MULTIPROC_DIR`` set, every
process (gunicorn workers, Celery pool processes) writes its counters to files
there, and ``/metrics`` adds them up (docs/observability.md).

No Django import: the settings module and ``gunicorn.conf.py`` use this.
"""

import os
import shutil


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
