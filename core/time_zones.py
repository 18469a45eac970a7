"""The IANA time zone names a person can choose."""

from functools import cache
from importlib import resources


@cache
def time_zone_names() -> tuple[str, ...]:
    """
    Every zone of the pinned ``tzdata`` package, sorted: the same list on every
    machine (the system's zone files vary), so the API schema's enum is stable.
    ``Factory`` is a placeholder zone, not a place.
    """
    names = resources.files("tzdata").joinpath("zones").read_text().split()
    return tuple(sorted(set(names) - {"Factory"}))


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]
