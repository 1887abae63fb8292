"""Who is who: every rule of mldebt.history.identities, each on the identities it is for, and
the false merges it must not make."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from mldebt.history.identities import Kind, clean_email, group_identities, is_bot, is_machine_address, normalise_name
from mldebt.history.mine import mine_history


def groups(identities: Sequence[tuple[str, str]], aliases: Mapping[str, Sequence[str]] | None = None) -> list[int]:
    return list(group_identities(identities, aliases=aliases).developers)


def test_names_are_transliterated_casefolded_and_stripped_of_quotes_punctuation_and_suffixes():
    assert normalise_name("  José\tPÉREZ  ") == "jose perez"
    assert normalise_name("Straße") == "strasse"
    assert normalise_name("\u201cAndrej") == "andrej"
    assert normalise_name('"Andrej Karpathy"') == "andrej karpathy"
    assert normalise_name("Андрей Карпатый") == "andrey karpatyy"
    # A Han or Hangul name is a one-syllable family name and a given name, as written in Latin.
    assert normalise_name("刘一博") == "liu yibo"
    assert normalise_name("유용환") == "yu yonghwan"
    assert normalise_name("Jean-Pierre Dupont, Jr.") == "jean pierre dupont"
    assert clean_email(' "\u201cChris.Dryden@Gmail.com\u201d> ') == "chris.dryden@gmail.com"


def test_bots_by_marker_configured_name_word_or_app_name():
    assert is_bot("dependabot[bot]", "x@users.noreply.github.com")
    assert is_bot("CI", "github-actions@github.com")
    assert is_bot("build", "ci-robot@corp.example", bots=("ci-robot",))
    assert not is_bot("Renée", "renee@example.com")
    # The word bot, not a name containing it.
    assert is_bot("Facebook Community Bot", "facebook-github-bot@users.noreply.github.com")
    assert is_bot("nightly", "release-bot@corp.example")
    assert not is_bot("Robot Hansen", "robot@example.com") and not is_bot("Ann Abbott", "ann@example.com")
    # An app's name (Assistant, Bot, CI at its end) with a noreply, app or empty address.
    assert is_bot("Ultralytics Assistant", "135830346+UltralyticsAssistant@users.noreply.github.com")
    assert is_bot("CodemodService FBSourceClangFormatLinterBot", "")
    assert is_bot("GitLab CI", "noreply@gitlab.example")
    assert is_bot("Review Assistant", "assistant@apps.example")
    assert is_bot("Kubernetes Prow Robot", "k8s-ci-robot@users.noreply.github.com")
    # A person's name that ends like one, with a person's address, is a person.
    assert not is_bot("Ci", "ci.wang@example.com") and not is_bot("Ada Assistant", "ada@example.com")
    assert not is_bot("Mr Robot", "elliot@example.com")


@pytest.mark.parametrize("address", [
    "ubuntu@ip-172-31-5-9.ec2.internal", "ec2-user@ip-10-0-0-1.us-west-2.compute.internal", "root@buildhost",
    "adam@localhost.localdomain", "me@localhost", "jo@jos-macbook-pro.local", "root@example.com",
    "tinkerbell@tinkerbell.0laq.syx.internal.cloudapp.net", "x@ip-10-1-2-3.example.net",
])
def test_machine_addresses(address: str):
    assert is_machine_address(address)


@pytest.mark.parametrize("address", ["", "jane@example.com", "localuser@example.org", "12+jo@users.noreply.github.com"])
def test_mailboxes_are_no_machine_addresses(address: str):
    assert not is_machine_address(address)


def test_a_github_login_merges_a_noreply_address_with_the_login_as_a_name():
    identities = [
        ("Kai Arulkumaran", "Kaixhin@users.noreply.github.com"),
        ("Kaixhin", "kai@other.example"),
        ("Someone Else", "12345+someone@users.noreply.github.com"),
        ("Kai A.", "999+kaixhin@users.noreply.github.com"),  # the same login with its id
    ]
    assert groups(identities) == [0, 0, 1, 0]


def test_aliases_merge_transitively_but_not_on_empty_values_or_across_bots():
    identities = [
        ("Jane Doe", "jane@a.example"),
        ("jane doe", "jane@b.example"),  # same name as 0
        ("JD", "JANE@B.EXAMPLE"),  # same e-mail as 1
        ("", ""),
        ("", "someone@example.com"),
        ("Other Person", ""),
        ("renovate", "jane@a.example"),  # a bot sharing an address with a person
    ]

    grouping = group_identities(identities)

    assert list(grouping.developers) == [0, 0, 0, 1, 2, 3, 4]
    assert grouping.kinds == (Kind.PERSON, Kind.MACHINE, Kind.PERSON, Kind.PERSON, Kind.BOT)


@pytest.mark.parametrize("other", [
    ("Karpathy Andrej", "ak@home.example"),  # swapped name order
    ("\u201cAndrej Karpathy", "ak@home.example"),  # a stray quote
    ("Andrej", "andrej.karpathy@gmail.com"),  # the first name alone, with the full name's address
    ("Andrej Karpathy", "\u201candrej.karpathy@gmail.com\u201d"),  # quotes around the address
    ("Андрей Карпатый", "ak@yandex.example"),  # the Cyrillic spelling
    ("A. Karpathy", "andrej_karpathy@work.example"),  # the local part, up to punctuation
    ("AK", "123+akarpathy@users.noreply.github.com"),  # a login made of the full name
])
def test_one_person_under_two_spellings(other: tuple[str, str]):
    assert groups([("Andrej Karpathy", "andrej.karpathy@gmail.com"), other]) == [0, 0]


def test_a_han_name_and_its_pinyin_in_either_order_are_one_person():
    assert groups([("刘一博", "liuyibo@qq.example"), ("Yibo Liu", "yibo@work.example")]) == [0, 0]
    assert groups([("曾逸夫（Zeng Yifu）", "z@qq.example"), ("Yifu Zeng", "yifu@work.example")]) == [0, 0]


def test_two_people_with_the_same_first_name_stay_two():
    identities = [
        ("David Chen", "dchen@a.example"),
        ("David", "dchen@a.example"),  # Chen's first name alone
        ("David Ha", "david@b.example"),
        ("David", "david@b.example"),  # Ha's
        ("David", "dave@c.example"),  # which David? Nobody can tell: merged with neither
        ("Alex Smith", "alex@a.example"),
        ("Alex Jones", "alex@b.example"),  # the same local part, another person
        ("Ryan Echols", "ryan@shady.example"),
        ("Ryan", "35791309+Gary55555@users.noreply.github.com"),  # a local part is no one-word name's
        ("Sam", "1+samx@users.noreply.github.com"),
        ("Sam", "2+samy@users.noreply.github.com"),  # two GitHub accounts, two people
        ("Steven Liu", "59462357+stevhliu@users.noreply.github.com"),
        ("Steven L.", "stevenlocorotondo@example.com"),  # both "stevenl" by name, not by a handle
    ]
    assert groups(identities) == [0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]


def test_names_that_only_sound_alike_in_latin_letters_stay_two_people():
    assert groups([("Katherine Smith", "k@a.example"), ("Catherine Smith", "c@b.example")]) == [0, 1]
    assert groups([("Jon Smith", "jon@a.example"), ("John Smith", "jon@b.example")]) == [0, 1]


def test_machine_identities_merge_with_nothing_and_a_person_on_a_machine_is_a_person():
    identities = [
        ("ubuntu", "ubuntu@ip-172-31-5-9.ec2.internal"),
        ("Alice Smith", "ubuntu@ip-172-31-5-9.ec2.internal"),  # a person on the shared machine
        ("Bob Jones", "ubuntu@ip-172-31-5-9.ec2.internal"),  # another one: the address joins nobody
        ("root", "root@buildhost"),
        ("Alice Smith", "alice@example.com"),
        ("Adam", "adam@localhost.localdomain"),  # which Adam? A machine's identity
        ("Adam Brown", "adam@example.com"),
    ]
    grouping = group_identities(identities)
    assert list(grouping.developers) == [0, 1, 2, 3, 1, 4, 5]
    assert grouping.kinds == (Kind.MACHINE, Kind.PERSON, Kind.PERSON, Kind.MACHINE, Kind.MACHINE, Kind.PERSON)


def test_every_merge_has_its_reason():
    identities = [
        ("Jane Doe", "jane@a.example"),
        ("Doe Jane", "jd@b.example"),
        ("jdoe", "jd@b.example"),
        ("jdoe", "jdoe@c.example"),
    ]
    grouping = group_identities(identities)
    assert list(grouping.developers) == [0, 0, 0, 0]
    assert [(m.identity, m.other, m.reason) for m in grouping.merges] == [
        (1, 0, "same full name up to case, accents, punctuation and word order (doe jane)"),
        (2, 1, "same e-mail jd@b.example"),
        (3, 0, "an e-mail local part equals a handle made of a full name up to punctuation (jdoe), and no other name "
               "contradicts it"),
    ]


def test_aliases_merge_what_the_rules_keep_apart_and_split_what_they_merge():
    identities = [
        ("Jane Doe", "jane@a.example"),
        ("J", "jd@home.example"),
        ("Sam Lee", "team@corp.example"),
        ("Kim Park", "team@corp.example"),  # one shared address
        ("ubuntu", "ubuntu@ip-10-0-0-1.ec2.internal"),
    ]
    assert groups(identities) == [0, 1, 2, 2, 3]
    aliases = {
        "Jane Doe": ["<jd@home.example>", "Ubuntu <ubuntu@ip-10-0-0-1.ec2.internal>"],
        "Sam Lee": ["Sam Lee <team@corp.example>"],
        "Kim Park": ["kim park"],
    }
    grouping = group_identities(identities, aliases=aliases)
    # An identity named like the person is theirs too; an aliased machine identity is a person.
    assert list(grouping.developers) == [0, 0, 1, 2, 0]
    assert grouping.aliases == ("Jane Doe", "Sam Lee", "Kim Park")
    assert grouping.kinds == (Kind.PERSON,) * 3
    assert [(m.identity, m.other, m.reason) for m in grouping.merges] == [
        (1, 0, "listed under 'Jane Doe' in [tool.mldebt.history] aliases"),
        (4, 0, "listed under 'Jane Doe' in [tool.mldebt.history] aliases"),
    ]


def test_mining_applies_the_rules_and_the_aliases_and_keeps_display_names_unique(repo, commit):
    root = repo([
        commit("David Chen", 1, {"a.py": "a\n"}, email="dchen@a.example"),
        commit("David", 2, {"a.py": "b\n"}, email="dchen@a.example"),
        commit("David", 3, {"a.py": "c\n"}, email="dchen@a.example"),
        commit("David Ha", 4, {"b.py": "a\n"}, email="david@b.example"),
        commit("David", 5, {"b.py": "b\n"}, email="david@b.example"),
        commit("David", 6, {"b.py": "c\n"}, email="david@b.example"),
        commit("ubuntu", 7, {"c.py": "a\n"}, email="ubuntu@ip-172-31-5-9.ec2.internal"),
        commit("\u201cSam", 8, {"c.py": "b\n"}, email="\u201csam.lee@corp.example\u201d"),
        commit("Sam Lee", 9, {"c.py": "c\n"}, email="sam.lee@corp.example"),
    ])

    history = mine_history(root)

    # Both Davids committed mostly as "David": the e-mail tells them apart.
    assert [(d.name, d.kind, d.commits) for d in history.developers] == [
        ("Sam Lee", Kind.PERSON, 2),
        ("ubuntu@ip-172-31-5-9.ec2.internal", Kind.MACHINE, 1),
        ("David <david@b.example>", Kind.PERSON, 3),
        ("David <dchen@a.example>", Kind.PERSON, 3),
    ]
    assert [m.reason for m in history.merges] == [
        "same e-mail sam.lee@corp.example", "same e-mail david@b.example", "same e-mail dchen@a.example",
    ]

    aliased = mine_history(root, aliases={"David Ha": ["david@b.example"], "Sam Lee": ["ubuntu"]})

    assert [(d.name, d.kind, d.commits) for d in aliased.developers] == [
        ("Sam Lee", Kind.PERSON, 3), ("David Ha", Kind.PERSON, 3), ("David", Kind.PERSON, 3),
    ]


@pytest.mark.parametrize(("name", "email"), [
    ("EC2 Default User", "ec2-user@ip-10-0-0-2.us-west-2.compute.internal"),
    ("ec2-user", "ec2-user@ip-10-0-0-2.ec2.internal"),
    ("Ubuntu", "tinkerbell@tinkerbell.0laq.syx.internal.cloudapp.net"),
    ("root", "root@example.com"),
    ("", ""),
])
def test_machine_identities(name: str, email: str):
    assert group_identities([(name, email)]).kinds == (Kind.MACHINE,)


def test_names_one_address_already_joined_do_not_stop_a_handle_from_joining_them():
    identities = [
        ("Huazhong Ji", "hzji210@example.com"),
        ("Hz, Ji", "hzji210@example.com"),  # unlike the full name, but the same address
        ("statelesshz", "hzji210@example.com"),
        ("statelesshz", "3140102143@zju.example"),
    ]
    assert groups(identities) == [0, 0, 0, 0]


def test_a_one_word_name_that_reads_as_a_handle_merges_and_a_bare_first_name_does_not():
    assert groups([("hiyouga", "467089858@qq.example"), ("hiyouga", "hiyouga@buaa.example")]) == [0, 0]
    assert groups([("SnowCharm", "q@nus.example"), ("SnowCharm", "s@mail.example")]) == [0, 0]
    assert groups([("c1aris", "g@mail.example"), ("c1aris", "y@mail.example")]) == [0, 0]
    assert groups([("Phil", "phil@foreai.example"), ("Phil", "ijund.phil@mail.example")]) == [0, 1]
    assert groups([("Dave", "d@ve.example"), ("dave", "1+davidcotton@users.noreply.github.com")]) == [0, 1]
    # A first name alone may still meet one real handle: a login.
    assert groups([("Jirka", "jirka@seznam.example"), ("Jirka Borovec", "7+jirka@users.noreply.github.com")]) == [0, 0]


def test_meta_s_codemod_service_accounts_are_bots() -> None:
    assert is_bot("generatedunixname89002005307016", "generatedunixname89002005307016@fb.com")
    assert is_bot("generatedunixname499836121", "")
    assert not is_bot("Yuxin Wu", "ppwwyyxx@users.noreply.github.com")


def test_an_e_mail_without_a_domain_is_a_login_that_meets_a_local_part() -> None:
    grouping = group_identities(
        [("amesar", "amesar"), ("Andre Mesarovic", "amesar@databricks.com"), ("Ann Other", "ann@example.org")], ()
    )
    assert grouping.developers[0] == grouping.developers[1] != grouping.developers[2]
    assert [(m.identity, m.other, m.reason) for m in grouping.merges] == [(
        1, 0, "an e-mail local part equals an e-mail without a domain (a login) up to punctuation (amesar), "
        "and no other name contradicts it",
    )]


def test_a_local_part_that_spells_a_full_name_but_for_a_suffix_merges_with_that_name() -> None:
    grouping = group_identities([
        ("Lukas", "lukasz.zalewski.ai@gmail.example"),
        ("Łukasz Zalewski", "ashlevegalaxy@gmail.example"),
        ("Jane", "janedoe1990@mail.example"),
        ("Jane Doe", "jd@work.example"),
    ], ())
    assert list(grouping.developers) == [0, 0, 1, 1]
    assert [(m.identity, m.other, m.reason) for m in grouping.merges] == [
        (1, 0, "an e-mail local part less its suffix '.ai' spells a full name (lukaszzalewski), "
               "and no other name contradicts it"),
        (3, 2, "an e-mail local part less its suffix '1990' spells a full name (janedoe), "
               "and no other name contradicts it"),
    ]


def test_a_suffixed_local_part_does_not_merge_a_shared_first_name_a_short_name_or_another_name() -> None:
    assert groups([("Lukasz Nowak", "ln@a.example"), ("Lukas", "lukasz.zalewski.ai@b.example")]) == [0, 1]
    assert groups([("Li Na", "li@a.example"), ("Lina", "lina.ml@b.example")]) == [0, 1]  # "lina" is anyone's
    assert groups([("Jane Doe", "jd@a.example"), ("Peter Brown", "jane.doe.ai@b.example")]) == [0, 1]
    # A handle with digits is not the handle without them: jsmith42 is not jsmith.
    assert groups([("jsmith", "jsmith@a.example"), ("J", "jsmith42@b.example")]) == [0, 1]
