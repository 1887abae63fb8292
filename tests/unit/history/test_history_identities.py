from mldebt.history.identities import group_identities, is_bot, normalise_name


def test_names_are_normalised_for_comparison():
    assert normalise_name("  José\tPÉREZ  ") == "jose perez"
    assert normalise_name("Straße") == "strasse"


def test_bots_by_marker_or_configured_name():
    assert is_bot("dependabot[bot]", "x@users.noreply.github.com")
    assert is_bot("CI", "github-actions@github.com")
    assert is_bot("build", "ci-robot@corp.example", bots=("ci-robot",))
    assert not is_bot("Renée", "renee@example.com")
    # The word bot, not a name containing it.
    assert is_bot("Facebook Community Bot", "facebook-github-bot@users.noreply.github.com")
    assert is_bot("nightly", "release-bot@corp.example")
    assert not is_bot("Robot Hansen", "robot@example.com") and not is_bot("Ann Abbott", "ann@example.com")


def test_a_github_login_merges_a_noreply_address_with_the_login_as_a_name():
    identities = [
        ("Kai Arulkumaran", "Kaixhin@users.noreply.github.com"),
        ("Kaixhin", "kai@other.example"),
        ("Someone Else", "12345+someone@users.noreply.github.com"),
    ]
    assert group_identities(identities)[0] == [0, 0, 1]


def test_aliases_merge_transitively_but_not_on_empty_values_or_across_bots():
    identities = [
        ("Jane Doe", "jane@a.example"),
        ("jane doe", "jane@b.example"),  # same name as 0
        ("JD", "JANE@B.EXAMPLE"),  # same e-mail as 1
        ("", ""),
        ("", "nobody@example.com"),
        ("Other", ""),
        ("renovate", "jane@a.example"),  # a bot sharing an address with a person
    ]

    groups, bots = group_identities(identities)

    assert groups == [0, 0, 0, 1, 2, 3, 4]
    assert bots == [False, False, False, False, True]
