"""
Does a request cost the same for a user with a million todos as for one with a
thousand? Times the list requests of issue 8 against a running server, for
accounts that ``manage.py seed_demo`` filled, and prints a table: request,
median ms for the smallest account, median ms for the largest, the ratio.

Run it with the server's own environment (DATABASE_URL, DJANGO_SECRET_KEY, ...):
it reads the accounts and mints their access tokens with Django, then measures
over HTTP only. It starts nothing; docs/benchmarks.md shows the whole run.

    python scripts/scale_bench.py --base http://127.0.0.1:8000 \\
        scale1000@example.com scale1000000@example.com [--json docs/scale.json]

Lists (issue 19): ``--by-list`` adds ``?list=<id>`` to every request, the
account's largest list; without it, GET /todos/ reads every list the account
has a role on, so two accounts that see 1 list and 50 (``seed_demo --lists 50
--share-with``) compare the cost of many lists. An account's size is the
number of todos it can see.

Each request is sent 25 times in a row per account (after one unmeasured
warm-up), the accounts taking turns request by request, on one keep-alive
connection each; the median is reported. A few todos with a word no seeded
todo has ("axolotl") are added through the API to each account first (once),
for the rare-word search.
"""

import argparse
import datetime
import http.client
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

RARE_WORD = "axolotl"
RARE_TODOS = 5
REPEATS = 25
DEEP_PAGES = 200


def requests_to_time() -> dict[str, dict[str, str]]:
    today = datetime.date.today().isoformat()
    requests = {
        "first page": {},
        "?done=true": {"done": "true"},
        "?done=false": {"done": "false"},
    }
    for field in ("created_at", "due_date", "title"):
        for ordering in (field, f"-{field}"):
            requests[f"?ordering={ordering}"] = {"ordering": ordering}
    requests.update(
        {
            f"?search={RARE_WORD}": {"search": RARE_WORD},
            "?done=false&ordering=due_date": {"done": "false", "ordering": "due_date"},
            "?done=true&ordering=-title": {"done": "true", "ordering": "-title"},
            "?done=false&ordering=-created_at": {"done": "false", "ordering": "-created_at"},
            f"?due_after={today}&ordering=due_date": {"due_after": today, "ordering": "due_date"},
            f"?due_before={today}&ordering=-due_date": {
                "due_before": today,
                "ordering": "-due_date",
            },
            f"?search={RARE_WORD}&done=false": {"search": RARE_WORD, "done": "false"},
        }
    )
    return requests


class Client:
    """One keep-alive connection, authenticated as one account."""

    def __init__(self, base: str, token: str) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[float, dict]:
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=payload, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError):
                # The server closed the idle connection: open another, time that try.
                self.connection.close()
                if attempt == 2:
                    raise
        elapsed = (time.perf_counter() - started) * 1000
        if response.status >= 300:
            sys.exit(f"{method} {path}: {response.status} {data[:300]!r}")
        return elapsed, json.loads(data)

    def get(self, path: str, params: dict[str, str]) -> tuple[float, dict]:
        return self.call("GET", f"{path}?{urlencode(params)}" if params else path)


def deep_page(client: Client, scope: dict[str, str]) -> str:
    """
    The path of the page reached by following ``next`` 200 times at
    page_size=100; for an account with fewer pages, of its last full page (so
    both answer 100 todos).
    """
    path, full = f"/api/v1/todos/?{urlencode({**scope, 'page_size': '100'})}", None
    for _ in range(DEEP_PAGES + 1):
        _, body = client.call("GET", path)
        if len(body["results"]) < 100:
            break
        full = path
        if body["next"] is None:
            break
        parts = urlsplit(body["next"])
        path = f"{parts.path}?{parts.query}"
    assert full is not None, "fewer than 100 todos"
    return full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="The server, e.g. http://127.0.0.1:8000")
    parser.add_argument("emails", nargs="+", help="Accounts, smallest to largest (two or more)")
    parser.add_argument("--json", type=Path, help="Also write every median here (for plotting)")
    parser.add_argument(
        "--by-list", action="store_true", help="Ask for each account's largest list (?list=)"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db.models import Count
    from rest_framework_simplejwt.tokens import AccessToken

    from accounts.models import User
    from todos.models import Todo

    users = [User.objects.get(email=email) for email in args.emails]
    visible = {user.email: Todo.objects.filter(list__memberships__user=user) for user in users}
    scopes: dict[str, dict[str, str]] = {user.email: {} for user in users}
    if args.by_list:
        for email, todos in visible.items():
            largest = todos.values("list").annotate(n=Count("id")).order_by("-n").first()
            assert largest is not None, f"{email} has no todos"
            scopes[email] = {"list": str(largest["list"])}
            visible[email] = todos.filter(list=largest["list"])
    sizes = {email: todos.count() for email, todos in visible.items()}
    clients = {user.email: Client(args.base, str(AccessToken.for_user(user))) for user in users}

    for email, client in clients.items():
        _, found = client.get("/api/v1/todos/", {**scopes[email], "search": RARE_WORD})
        target = {"list": int(scopes[email]["list"])} if scopes[email] else {}
        for number in range(len(found["results"]), RARE_TODOS):
            title = f"Feed the {RARE_WORD} ({number})"
            client.call("POST", "/api/v1/todos/", {"title": title, **target})

    paths: dict[str, dict[str, str]] = {
        name: {
            email: f"/api/v1/todos/?{urlencode({**scopes[email], **params})}" for email in clients
        }
        for name, params in requests_to_time().items()
    }
    paths["page 201 at page_size=100 (via next)"] = {
        email: deep_page(client, scopes[email]) for email, client in clients.items()
    }

    load = os.getloadavg()
    medians: dict[str, dict[str, float]] = {}
    for name, by_email in paths.items():
        times: dict[str, list[float]] = {email: [] for email in clients}
        for email, client in clients.items():
            client.call("GET", by_email[email])  # warm-up, not measured
        for _ in range(REPEATS):
            for email, client in clients.items():
                times[email].append(client.call("GET", by_email[email])[0])
        medians[name] = {email: statistics.median(values) for email, values in times.items()}

    small, big = args.emails[0], args.emails[-1]
    seen = "in the list asked for" if args.by_list else "it can see"
    print(
        f"Median of {REPEATS} sequential requests; {small} has {sizes[small]:,} todos {seen}, "
        f"{big} {sizes[big]:,}. Load average at the start: "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}.\n"
    )
    print(f"| request | ms, {sizes[small]:,} todos | ms, {sizes[big]:,} todos | ratio |")
    print("|---|---|---|---|")
    for name, by_email in medians.items():
        ratio = by_email[big] / by_email[small]
        print(f"| `{name}` | {by_email[small]:.1f} | {by_email[big]:.1f} | {ratio:.2f} |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "measured_at": datetime.datetime.now(datetime.UTC).isoformat(),
                    "load_average": load,
                    "repeats": REPEATS,
                    "todos": sizes,
                    "median_ms": medians,
                },
                indent=2,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
