"""Table names in a SQL string, good enough for data-dependency facts (not a SQL parser)."""

from __future__ import annotations

import re

_IDENT = r"(?:`[^`]+`|\"[^\"]+\"|\[[^\]]+\]|[A-Za-z_][\w$]*)"
_QUALIFIED = rf"{_IDENT}(?:\s*\.\s*{_IDENT}){{0,2}}"
# A name followed by `(` is a table function (`read_parquet('x')`, `generate_series(1, 9)`).
_READ = re.compile(rf"\b(?:FROM|JOIN)\s+({_QUALIFIED})(?![\w$]|\s*\()", re.IGNORECASE)
# DuckDB reads files as tables: `FROM 'data/x.parquet'`, `FROM read_csv_auto('x.csv')`.
_FILE_READ = re.compile(
    r"\b(?:FROM|JOIN)\s+(?:(?:read_\w+|\w+_scan)\s*\(\s*\[?\s*)?'([^']+)'", re.IGNORECASE
)
# `COPY t TO 'out.parquet'` reads t and writes the file; `COPY t FROM 'in.csv'` the reverse.
_COPY = re.compile(rf"\bCOPY\s+({_QUALIFIED}|\((?:[^()]|\([^()]*\))*\))\s+(TO|FROM)\s+'([^']+)'", re.IGNORECASE)
_WRITE = re.compile(
    rf"\b(?:INSERT\s+(?:OVERWRITE\s+)?(?:INTO\s+)?(?:TABLE\s+)?|CREATE\s+(?:OR\s+REPLACE\s+)?"
    rf"(?:TEMP(?:ORARY)?\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?|MERGE\s+INTO\s+|"
    rf"UPDATE\s+|DELETE\s+FROM\s+|DROP\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?|ALTER\s+TABLE\s+|"
    rf"TRUNCATE\s+(?:TABLE\s+)?)({_QUALIFIED})",
    re.IGNORECASE,
)
# Data definition: the statements that make, remove or change a table's schema.
_DEFINE = re.compile(
    rf"\b(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?|"
    rf"DROP\s+(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?|ALTER\s+TABLE\s+)({_QUALIFIED})",
    re.IGNORECASE,
)
_CTE = re.compile(rf"(?:\bWITH\s+(?:RECURSIVE\s+)?|,\s*)({_IDENT})\s+AS\s*\(", re.IGNORECASE)
_LOOKS_LIKE_SQL = re.compile(
    r"^\s*(?:\(|--.*\n\s*)*(SELECT|WITH|INSERT|CREATE|UPDATE|DELETE|MERGE|REPLACE|DROP|ALTER|TRUNCATE|COPY)\b",
    re.IGNORECASE,
)
_NOT_TABLES = {"select", "lateral", "unnest", "values", "dual", "table"}
# The database's own catalog, not data, in every major engine: the SQL standard's
# information_schema; PostgreSQL's pg_catalog and its pg_* relations (pg_tables, pg_class,
# pg_stat_activity); MySQL's mysql, performance_schema and sys schemas; SQL Server's sys and
# INFORMATION_SCHEMA views; SQLite's sqlite_* tables (sqlite_master, sqlite_sequence, ...).
# Names arrive lower-cased.
_SYSTEM_TABLES = re.compile(
    r"^(?:information_schema|pg_catalog|mysql|performance_schema|sys)\..*"
    r"|^pg_\w+$|^sqlite_\w+$"
)
# Functions whose arguments contain FROM without naming a table: EXTRACT(YEAR FROM ts),
# SUBSTRING(s FROM 2 FOR 3), TRIM(BOTH ' ' FROM s), OVERLAY(... FROM ...), POSITION(a IN b).
# One level of nested parentheses inside is allowed: EXTRACT(YEAR FROM CAST(ts AS DATE)).
_FROM_FUNCTION = re.compile(
    r"\b(?:EXTRACT|SUBSTRING|SUBSTR|TRIM|OVERLAY|POSITION)\s*\((?:[^()]|\([^()]*\))*\)", re.IGNORECASE
)


def _clean(name: str) -> str:
    return ".".join(part.strip().strip('`"[]') for part in name.split(".")).lower()


def looks_like_sql(text: str) -> bool:
    return bool(_LOOKS_LIKE_SQL.match(text))


def tables(sql: str) -> tuple[list[str], list[str]]:
    """(tables read, tables written) by a SQL statement, CTE names left out."""
    if not looks_like_sql(sql):
        return [], []
    sql = _FROM_FUNCTION.sub("NULL", sql)
    ctes = {_clean(m.group(1)) for m in _CTE.finditer(sql)}
    written = [_clean(m.group(1)) for m in _WRITE.finditer(sql)]
    copied = [(m.group(1), m.group(2).upper()) for m in _COPY.finditer(sql) if not m.group(1).startswith("(")]
    written += [_clean(name) for name, way in copied if way == "FROM"]
    # DELETE FROM t matches both patterns; it is a write.
    read = [
        name
        for name in (_clean(m.group(1)) for m in _READ.finditer(sql))
        if name not in ctes and name not in _NOT_TABLES and name not in written
    ] + [_clean(name) for name, way in copied if way == "TO"]
    return _unique(read, ctes), _unique(written, ctes)


def defined(sql: str) -> list[str]:
    """The tables whose schema a statement (or a script of them) defines: CREATE, DROP or
    ALTER TABLE (or VIEW). A seed script's DDL."""
    if not looks_like_sql(sql):
        return []
    return list(dict.fromkeys(_clean(m.group(1)) for m in _DEFINE.finditer(sql)))


def files(sql: str) -> tuple[list[str], list[str]]:
    """(files read, files written) by a SQL statement that names files where tables go, as
    DuckDB does: `FROM 'x.parquet'`, `FROM read_parquet('x')`, `COPY ... TO/FROM 'file'`."""
    if not looks_like_sql(sql):
        return [], []
    copies = [(m.group(2).upper(), m.group(3)) for m in _COPY.finditer(sql)]
    read = [m.group(1) for m in _FILE_READ.finditer(sql)] + [f for way, f in copies if way == "FROM"]
    written = [f for way, f in copies if way == "TO"]
    return list(dict.fromkeys(read)), list(dict.fromkeys(written))


def _unique(names: list[str], ctes: set[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n not in ctes))


def is_system_table(name: str) -> bool:
    """The database's own catalog (`sqlite_master`, `information_schema.tables`), not data."""
    return bool(_SYSTEM_TABLES.match(name))
