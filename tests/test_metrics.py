"""
/metrics: who may read them (private addresses, or the bearer token), and
what they count, summed across worker processes.
"""

from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

from tests.clients import make_client
from tests.live import child_env, run_wsgi, start_wsgi

METRICS = "/metrics"
MISSING_PAGE = "/api/v1/no-such-endpoint/"
PUBLIC_ADDRESS = "8.8.8.8"
TOKEN = "metrics-token-for-tests-0123456789abcdef"


def scrape(client: APIClient | None = None, **headers: Any) -> dict[tuple, float]:
    """Every sample of /metrics, keyed by (name, sorted labels)."""
    response = (client or APIClient()).get(METRICS, **headers)
    assert response.status_code == 200, response.status_code
    return parse_metrics(response.content.decode())


def parse_metrics(text: str) -> dict[tuple, float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def total(samples: dict[tuple, float], name: str, **labels: str) -> float:
    """Sum of a metric's samples whose labels include ``labels``."""
    wanted = set(labels.items())
    return sum(
        value
        for (sample, sample_labels), value in samples.items()
        if sample == name and wanted <= set(sample_labels)
    )


@pytest.mark.django_db
def test_metrics_are_an_ordinary_404_for_a_public_address(settings):
    settings.METRICS_TOKEN = TOKEN
    client = make_client()
    response = client.get(METRICS, REMOTE_ADDR=PUBLIC_ADDRESS)
    ordinary = client.get("/no-such-page", REMOTE_ADDR=PUBLIC_ADDRESS)
    assert response.status_code == 404
    assert response.content == ordinary.content
    assert response["Content-Type"] == ordinary["Content-Type"]


@pytest.mark.django_db
def test_metrics_with_the_right_token_from_anywhere(settings):
    settings.METRICS_TOKEN = TOKEN
    response = make_client().get(
        METRICS, REMOTE_ADDR=PUBLIC_ADDRESS, HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert b"django_http_responses_total_by_status" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    [f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, "Bearer "],
    ids=["longer", "shorter", "other-scheme", "no-scheme", "empty"],
)
def test_metrics_with_a_wrong_token_are_not_found(settings, authorization):
    settings.METRICS_TOKEN = TOKEN
    response = make_client().get(
        METRICS, REMOTE_ADDR=PUBLIC_ADDRESS, HTTP_AUTHORIZATION=authorization
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_an_empty_bearer_token_does_not_match_an_unset_token(settings):
    settings.METRICS_TOKEN = ""
    response = make_client().get(METRICS, REMOTE_ADDR=PUBLIC_ADDRESS, HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "172.20.0.3", "192.168.0.7", "::1", "fd00::5"]
)
def test_metrics_from_a_private_address_without_a_token(address):
    response = make_client().get(METRICS, REMOTE_ADDR=address)
    assert response.status_code == 200
    assert b"django_http_responses_total_by_status" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    ["HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"],
)
def test_a_private_address_that_forwards_for_someone_else_gets_404(header):
    """A proxy's private address relays the internet: its requests are not trusted."""
    forwarded: dict[str, Any] = {header: PUBLIC_ADDRESS}
    response = make_client().get(METRICS, REMOTE_ADDR="10.0.0.2", **forwarded)
    assert response.status_code == 404


@pytest.mark.django_db
def test_behind_proxies_only_the_token_opens_metrics(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = make_client()
    assert client.get(METRICS, REMOTE_ADDR="10.0.0.2").status_code == 404
    authorized = client.get(METRICS, REMOTE_ADDR="10.0.0.2", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert authorized.status_code == 200


@pytest.mark.django_db
def test_metrics_skip_the_https_redirect_and_the_host_check():
    """Like /health: a scraper talks plain http to the container's own address."""
    plain = APIClient()  # no X-Forwarded-Proto: plain http
    assert plain.get(MISSING_PAGE, HTTP_HOST="testserver").status_code == 301
    assert plain.get(METRICS, HTTP_HOST="10.0.0.9:8000").status_code == 200


@pytest.mark.django_db
def test_only_get_and_head_read_metrics():
    client = make_client()
    assert client.head(METRICS).status_code == 200
    assert client.post(METRICS).status_code == 404


# --- Metrics: what they count ---------------------------------------------------


@pytest.mark.django_db
def test_responses_are_counted_by_status_and_scrapes_are_not(api_client):
    name = "django_http_responses_total_by_status_total"
    before = scrape()
    assert api_client.get(MISSING_PAGE).status_code == 404
    after = scrape()
    assert total(after, name, status="404") - total(before, name, status="404") == 1
    assert total(after, name, status="200") == total(before, name, status="200")


@pytest.mark.django_db
def test_health_probes_are_not_counted_as_traffic(api_client):
    name = "django_http_requests_before_middlewares_total"
    before = scrape()
    assert api_client.get("/health").status_code == 200
    after_probe = scrape()
    assert api_client.get(MISSING_PAGE).status_code == 404
    after_request = scrape()
    assert total(after_probe, name) == total(before, name)
    assert total(after_request, name) == total(after_probe, name) + 1


def test_latency_is_a_histogram_per_view(auth_client):
    name = "django_http_requests_latency_seconds_by_view_method_count"
    labels = {"view": "todos:todo-list", "method": "GET"}
    before = scrape()
    assert auth_client.get("/api/v1/todos/").status_code == 200
    after = scrape()
    assert total(after, name, **labels) - total(before, name, **labels) == 1
    assert any(
        sample == "django_http_requests_latency_seconds_by_view_method_bucket"
        for sample, _ in after
    )


def test_database_queries_and_errors_are_counted(auth_client):
    """An idempotent replay hits the unique constraint: a database error, by design."""
    before = scrape()
    for _ in range(2):
        response = auth_client.post(
            "/api/v1/todos/", {"title": "once"}, HTTP_IDEMPOTENCY_KEY="metrics-replay"
        )
        assert response.status_code == 201
    after = scrape()
    assert total(after, "django_db_execute_total") > total(before, "django_db_execute_total")
    errors = "django_db_errors_total"
    assert total(after, errors) - total(before, errors) == 1


def test_metrics_add_up_across_worker_processes(tmp_path, stack):
    """Two worker processes count; a third serves /metrics with both their counts."""
    env = child_env(tmp_path, PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"))
    # An API path: its 404 is JSON, so the children need no collected static files.
    worker = "for _ in range(2):\n    assert call('GET', '/api/no-such-page')[0] == 404"
    workers = [start_wsgi(stack, worker, env) for _ in range(2)]
    for process in workers:
        process.finish()

    scraper = run_wsgi(
        stack,
        "status, body = call('GET', '/metrics', REMOTE_ADDR='127.0.0.1')\n"
        "assert status == 200, status\n"
        "print(body)",
        env,
    )

    samples = parse_metrics(scraper.stdout)
    assert total(samples, "django_http_responses_total_by_status_total", status="404") == 4
