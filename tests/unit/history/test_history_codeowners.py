import os

import pytest

from mldebt.history import load_codeowners, parse_codeowners

CODEOWNERS = """\
# Default owners
*                 @org/everyone
*.js              @js-owner   # an inline comment
/build/logs/      @doctocat
docs/*            docs@example.com
apps/             @octocat
**/logs           @logger
/vendor/
\\#notes.md        @x
!keep.py          @x
model[12].py      @x
src/bad.py        not-an-owner
path\\ with\\ space.py @spaces
"""


@pytest.mark.parametrize(
    ("path", "owners"),
    [
        ("README.md", ("@org/everyone",)),
        ("web/app.js", ("@js-owner",)),
        # Both /build/logs/ and **/logs match: the last one wins.
        ("build/logs/a/b.txt", ("@logger",)),
        ("docs/index.md", ("docs@example.com",)),
        # docs/* is the files directly in docs/, unlike gitignore.
        ("docs/api/ref.md", ("@org/everyone",)),
        ("apps/x.py", ("@octocat",)),
        ("lib/apps/y.py", ("@octocat",)),
        # A pattern without owners un-owns.
        ("vendor/lib.py", ()),
        ("src/vendor/lib.py", ("@org/everyone",)),
        ("path with space.py", ("@spaces",)),
    ],
)
def test_owners_follow_github_semantics(path, owners):
    assert parse_codeowners(CODEOWNERS).owners_of(path) == owners


def test_unowned_is_not_unmatched():
    codeowners = parse_codeowners(CODEOWNERS)

    assert codeowners.rule_for("vendor/lib.py").line == 8
    assert parse_codeowners("/src/ @a\n").rule_for("README.md") is None


def test_invalid_lines_are_reported_and_skipped():
    codeowners = parse_codeowners(CODEOWNERS)

    assert [(p.line, p.message.split()[0]) for p in codeowners.problems] == [
        (9, "escaping"),
        (10, "negation"),
        (11, "character"),
        (12, "invalid"),
    ]
    assert codeowners.owners_of("model1.py") == ("@org/everyone",)


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("foo", "foo", True),
        ("foo", "a/foo/b.py", True),
        ("foo", "foo.txt", False),
        ("/foo", "a/foo", False),
        ("foo/", "foo", False),
        ("foo/", "a/foo/b", True),
        ("foo/bar", "foo/bar/baz", True),
        ("foo/bar", "x/foo/bar", False),
        ("docs/*", "docs/a", True),
        ("docs/*", "docs/a/b", False),
        ("docs/*.md", "docs/a.md", True),
        ("docs/*.md", "docs/x/a.md", False),
        ("/*", "a", True),
        ("/*", "a/b", False),
        ("*", "a/b/c", True),
        ("*.py", "a/b/c.py", True),
        ("?.py", "ab.py", False),
        ("a/**/b", "a/b", True),
        ("a/**/b", "a/x/y/b/c", True),
        ("a/**", "a", False),
        ("**/logs", "x/logs/y", True),
        ("f\\*o", "foo", False),
        ("f\\*o", "f*o", True),
        ("Model.py", "model.py", False),
    ],
)
def test_pattern_matching(pattern, path, matches):
    assert parse_codeowners(f"{pattern} @o\n").owners_of(path) == (("@o",) if matches else ())


def test_location_order_and_symlinks(tmp_path):
    assert load_codeowners(tmp_path) is None
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "CODEOWNERS").write_text("* @docs\n")
    (tmp_path / "CODEOWNERS").write_text("* @root\n")
    assert load_codeowners(tmp_path).owners_of("x") == ("@root",)
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "CODEOWNERS").write_text("* @github\n")
    found = load_codeowners(tmp_path)
    assert (found.path, found.owners_of("x")) == (".github/CODEOWNERS", ("@github",))

    (tmp_path / ".github" / "CODEOWNERS").unlink()
    (tmp_path / "CODEOWNERS").unlink()
    outside = tmp_path.parent / f"{tmp_path.name}-secret"
    outside.write_text("* @leaked\n")
    os.symlink(outside, tmp_path / "CODEOWNERS")
    assert load_codeowners(tmp_path).owners_of("x") == ("@docs",)


def test_patterns_that_make_a_regex_backtrack_are_decided_at_once():
    """A pull request writes CODEOWNERS: as regexes, these two lines took about 10 s and 6 s
    for one path each (and hours a few wildcards on), for every file of the repository."""
    import time

    codeowners = parse_codeowners("*a*a*a*a*a*a*a*b @stars\n/**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/a/b @dirs\n")
    start = time.perf_counter()
    assert codeowners.owners_of("a" * 50 + ".py") == ()
    assert codeowners.owners_of("a" * 50 + "b") == ("@stars",)
    assert codeowners.owners_of("/".join(["a"] * 36) + "/c") == ()
    assert codeowners.owners_of("/".join(["a"] * 36) + "/b") == ("@dirs",)
    assert time.perf_counter() - start < 1.0
