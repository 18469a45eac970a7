"""Database expressions shared by the apps' queries and indexes."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Expression, Func

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler


class InfinityIfNull(Func):
    """
    A nullable date or timestamp as a sort key on which NULL comes last:
    ``COALESCE(col, 'infinity')`` ascending, ``COALESCE(col, '-infinity')`` descending.

    ``ORDER BY col NULLS LAST`` does the same for one query, but a cursor needs a
    key it can compare as a row value, ``(key, id) > (%s, %s)``, which one index
    range answers; NULL would compare as unknown. No real value equals the
    sentinel: PostgreSQL's ``infinity`` is past every date (Python cannot even
    hold it); SQLite stores dates as ISO text, which every letter sorts after and
    ``-`` before. An index on the same expression serves the order.
    """

    function = "COALESCE"

    def __init__(self, expression: Any, *, descending: bool = False) -> None:
        self.descending = descending
        super().__init__(expression)

    # The template is always ours, so the positional function/template/arg_joiner
    # that Func.as_sql also takes are not offered.
    def as_sql(  # type: ignore[override]
        self, compiler: "SQLCompiler", connection: "BaseDatabaseWrapper", **extra_context: Any
    ) -> tuple[str, list[str | int] | tuple[str | int, ...]]:
        sentinel = "'-infinity'" if self.descending else "'infinity'"
        if connection.vendor == "postgresql":  # typed, for COALESCE(NULL, ...) of a cursor
            sentinel += f"::{self.output_field.db_type(connection)}"
        template = f"%(function)s(%(expressions)s, {sentinel})"
        return super().as_sql(compiler, connection, template=template, **extra_context)


class RowComparison(Expression):
    """
    ``(a, b) > (x, y)``: a row value comparison, which PostgreSQL answers as one
    index range (``a > x OR (a = x AND b > y)`` it cannot). SQLite has it too.
    """

    conditional = True
    output_field = BooleanField()
    operators = frozenset({"<", ">"})

    def __init__(self, left: Sequence[Any], operator: str, right: Sequence[Any]) -> None:
        if operator not in self.operators or len(left) != len(right) or not left:
            raise ValueError("Compare two rows of the same length with < or >.")
        super().__init__()
        self.left, self.operator, self.right = list(left), operator, list(right)

    def get_source_expressions(self) -> list[Any]:
        return [*self.left, *self.right]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.left, self.right = list(exprs[: len(self.left)]), list(exprs[len(self.left) :])

    def as_sql(
        self, compiler: "SQLCompiler", connection: "BaseDatabaseWrapper"
    ) -> tuple[str, list[str | int]]:
        sides: list[str] = []
        params: list[str | int] = []
        for row in (self.left, self.right):
            parts = []
            for expression in row:
                sql, expression_params = compiler.compile(expression)
                parts.append(sql)
                params.extend(expression_params)
            sides.append(f"({', '.join(parts)})")
        return f"{sides[0]} {self.operator} {sides[1]}", params
