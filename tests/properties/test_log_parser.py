"""The `git log` parser takes any input: a repository's commit objects hold whatever their
authors wrote, and a log can end anywhere. Random field sequences never raise; a well-formed
log, cut anywhere and streamed in any chunks, parses to a prefix of its commits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mldebt.history.ledger import RawCommit
from mldebt.history.mine import _nul_terminated, _parse_log

_DATES = st.one_of(
    st.integers(0, 2**64 - 1).map(lambda n: str(n).encode()),
    # What git prints for a missing, negative, non-numeric or overflowing date.
    st.sampled_from([b"", b"99999999999999999999", b"1" * 5000]),
    st.binary(max_size=8).map(lambda b: b.replace(b"\0", b"")),
)
_COUNT = st.integers(0, 10**6).map(lambda n: str(n).encode())
# A binary file prints "-" for both counts.
_COUNTS = st.one_of(st.tuples(_COUNT, _COUNT), st.just((b"-", b"-")))
# git cuts a name at a NUL byte, and a path cannot hold one.
_TEXT = (
    st.binary(min_size=1, max_size=12)
    .map(lambda b: b.replace(b"\0", b"") or b"x")
    .filter(lambda b: b not in (b"%aN", b"%aE"))
)
_CHANGE = st.tuples(_COUNTS, st.none() | _TEXT, _TEXT)
_COMMIT = st.tuples(
    st.binary(min_size=20, max_size=20).map(bytes.hex),
    st.integers(0, 3),
    _DATES,
    _DATES,
    _TEXT,
    _TEXT,
    st.lists(_CHANGE, max_size=4),
)


def _printed(commits: list[tuple]) -> bytes:
    """The commits as `git log -z --numstat` prints them with mine._LOG_FORMAT."""
    out = b""
    for sha, parents, author, committer, name, email, changes in commits:
        header = [sha.encode(), b" ".join([b"f" * 40] * parents), author, committer, name, email]
        out += b"\x01" + b"\0".join(header) + b"\0" + (b"\n" if changes else b"")
        for (added, deleted), old, path in changes:
            out += added + b"\t" + deleted + b"\t" + (path if old is None else b"\0" + old + b"\0" + path) + b"\0"
    return out


def _date(raw: bytes) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) <= 20 and int(raw) < 2**64 else None


def _expected(commits: list[tuple]) -> tuple[list[RawCommit], int]:
    parsed = []
    for sha, parents, author, committer, name, email, changes in commits:
        author_time, commit_time = _date(author), _date(committer)
        if author_time is None and commit_time is None:
            continue
        parsed.append(
            RawCommit(
                sha,
                parents,
                name.decode("utf-8", "replace"),
                email.decode("utf-8", "replace"),
                commit_time if author_time is None else author_time,
                author_time if commit_time is None else commit_time,
                tuple(
                    (
                        None if old is None else old.decode("utf-8", "surrogateescape"),
                        path.decode("utf-8", "surrogateescape"),
                        -1 if added == b"-" else int(added),
                        -1 if deleted == b"-" else int(deleted),
                    )
                    for (added, deleted), old, path in changes
                ),
            )
        )
    return parsed, len(commits) - len(parsed)


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(cut % (len(data) + 1) for cut in cuts)})
    return [data[a:b] for a, b in zip(points, points[1:])]


@settings(max_examples=settings.default.max_examples * 3 // 2, deadline=None)
@given(st.lists(_COMMIT, max_size=5), st.lists(st.integers(0, 10**4), max_size=6))
def test_a_whole_log_parses_to_its_commits_in_any_chunks(commits, cuts):
    data = _printed(commits)

    assert _parse_log(_nul_terminated(_chunks(data, cuts)), None) == _expected(commits)


@settings(max_examples=settings.default.max_examples * 3 // 2, deadline=None)
@given(st.lists(_COMMIT, min_size=1, max_size=5), st.integers(0, 10**4), st.lists(st.integers(0, 10**4), max_size=4))
def test_a_truncated_log_parses_to_a_prefix_of_its_commits(commits, end, cuts):
    data = _printed(commits)
    data = data[: end % (len(data) + 1)]

    parsed, _ = _parse_log(_nul_terminated(_chunks(data, cuts)), None)

    whole, _ = _expected(commits)
    # Every commit but the last is whole; the last may have lost files or a part of a field.
    assert parsed[:-1] == whole[: max(len(parsed) - 1, 0)]
    assert [commit.sha for commit in parsed] == [commit.sha for commit in whole[: len(parsed)]]


_FIELDS = st.lists(
    st.one_of(
        st.binary(max_size=16),
        st.builds(lambda sha: b"\x01" + sha, st.binary(max_size=41)),
        st.builds(lambda *parts: b"\t".join(parts), st.binary(max_size=4), st.binary(max_size=4), st.binary(max_size=6)),
        _DATES,
    ),
    max_size=40,
)


@settings(max_examples=3 * settings.default.max_examples, deadline=None)
@given(_FIELDS)
def test_any_fields_parse_without_an_exception(fields):
    commits, undated = _parse_log(fields, None)

    assert len(commits) + undated <= sum(field[:1] == b"\x01" for field in fields)
    for commit in commits:
        assert 0 <= commit.author_time < 2**64 and 0 <= commit.commit_time < 2**64
        assert all(path and added >= -1 and deleted >= -1 for _, path, added, deleted in commit.changes)
