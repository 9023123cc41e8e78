"""Entities: the authority, recognition, linking across spellings, and the seed's names."""

from __future__ import annotations

from pathlib import Path

import pytest

from prinkipo.entities.authority import (
    Authority,
    AuthorityEntry,
    demo_authority,
    fold,
    parse_geo,
    read_register,
    read_tei_refs,
)
from prinkipo.entities.link import Linker, Passage, skeleton
from prinkipo.ingestion import ingest
from prinkipo.objects import document_object
from prinkipo.store import Store
from tests.conftest import need_corpus

#: every name the founding letter must yield, with the entry it stands for
SEED_NAMES = {
    "Menjinsky": "person:menzhinsky-vyacheslav",
    "Trilisser": "person:trilisser-meer",
    "Yaroslavsky": "person:yaroslavsky-yemelyan",
    "Tseretelli": "person:tsereteli-irakli",
    "Kornilov": "person:kornilov-lavr",
    "Stalin": "person:stalin-joseph",
    "Blumkin": "person:blumkin-yakov",
    "Constantinople": "place:istanbul",
    "Moscow": "place:moscow",
    "Prinkipo": "place:prinkipo",
    "G.P.U.": "organisation:gpu",
    "The Militant": "periodical:the-militant",
    "Opposition": "organisation:left-opposition",
}


def link(text: str, authority: Authority | None = None, year: int | None = None) -> list:
    linker = Linker(authority or demo_authority())
    return linker.link_passages([Passage(text, 0, 1, None)], "en", year)


def test_every_seed_name_is_found_and_linked(store: Store, seed_dir: Path) -> None:
    ingest(store, [seed_dir])
    doc = document_object(store, 1)
    linked = {(m["text"], m["entity_key"]) for m in doc["mentions"]}
    for text, key in SEED_NAMES.items():
        assert (text, key) in linked, text
    for m in doc["mentions"]:
        assert m["entity_id"] is not None
        if m["start"] is not None:
            assert store.document_rows(1)["text"][m["start"] : m["end"]] == m["text"]
    menjinsky = next(m for m in doc["mentions"] if m["text"] == "Menjinsky")
    assert menjinsky["paragraph"] == 1 and menjinsky["method"] == "authority"
    assert 0 < menjinsky["confidence"] <= 1


@pytest.mark.parametrize(
    "spellings",
    [
        ["Menjinsky", "Menzhinsky", "Menschinski", "Менжинский", "Menzhinskii", "Menschinsky"],
        ["Yaroslavsky", "Iaroslavskii", "Jaroslawski", "Ярославский", "Yaroslavskiy"],
        ["Tseretelli", "Tsereteli", "Zereteli", "Церетели"],
        ["Trotsky", "Trotzki", "Trockij", "Троцкий", "Trotskii"],
    ],
)
def test_transliterations_share_a_skeleton(spellings: list[str]) -> None:
    assert len({skeleton(s) for s in spellings}) == 1, {s: skeleton(s) for s in spellings}


@pytest.mark.parametrize(
    ("text", "name", "key"),
    [
        ("A report reached Menschinsky late.", "Menschinsky", "person:menzhinsky-vyacheslav"),
        ("Ярославский писал об этом.", "Ярославский", "person:yaroslavsky-yemelyan"),
        ("An article by Iaroslavskii appeared.", "Iaroslavskii", "person:yaroslavsky-yemelyan"),
        ("A reply by Jaroslawski followed.", "Jaroslawski", "person:yaroslavsky-yemelyan"),
        ("Signed: L. Trotsky, Prinkipo.", "L. Trotsky", "person:trotsky-leon"),
        ("See Trotsky, Leon, on this.", "Trotsky, Leon", "person:trotsky-leon"),
        ("A letter of L. D. Trotsky.", "L. D. Trotsky", "person:trotsky-leon"),
        ("He went to Büyükada.", "Büyükada", "place:prinkipo"),
        ("He went to Buyukada.", "Buyukada", "place:prinkipo"),
        ("Under the O.G.P.U. regime.", "O.G.P.U.", "organisation:gpu"),
    ],
)
def test_spellings_link_to_one_entry(text: str, name: str, key: str) -> None:
    found = {(m.text, m.entity_key) for m in link(text)}
    assert (name, key) in found, found


def test_lower_case_common_words_are_not_names() -> None:
    assert not [m for m in link("the opposition in the party was strong") if m.entity_key]


def test_unknown_names_become_candidates() -> None:
    ms = link("Then Comrade Smirnov met I. N. Sosnovsky in the Hotel Metropole at noon.")
    by_text = {m.text: m for m in ms}
    assert by_text["Smirnov"].entity_key == "candidate:person:smirnov"
    assert by_text["Smirnov"].method == "candidate-title"
    assert by_text["I. N. Sosnovsky"].method == "candidate-initials"
    assert by_text["Hotel Metropole"].entity_key.startswith("candidate:")
    assert all(m.confidence < 0.9 for m in ms)


def _namesakes() -> Authority:
    return Authority(
        [
            AuthorityEntry("person:escher-alfred", "person", "Alfred Escher", ("Escher",),
                           dates={"birth": "1819"}, origin="register"),
            AuthorityEntry("person:escher-heinrich", "person", "Heinrich Escher", ("Escher",),
                           dates={"birth": "1776"}, origin="register"),
            AuthorityEntry("person:escher-hans", "person", "Hans Escher", ("Escher",),
                           dates={"birth": "1900"}, origin="register"),
        ]
    )  # fmt: skip


def test_a_full_name_elsewhere_in_the_document_decides_between_namesakes() -> None:
    ms = link("Alfred Escher wrote. Later Escher replied.", _namesakes())
    assert [m.entity_key for m in ms] == ["person:escher-alfred"] * 2
    assert ms[1].method == "authority-context"
    assert set(ms[1].candidates) == {
        "person:escher-alfred",
        "person:escher-heinrich",
        "person:escher-hans",
    }


def test_nobody_is_named_before_birth_and_an_undecided_name_stays_unlinked() -> None:
    undecided = link("Then Escher replied.", _namesakes())[0]
    assert undecided.entity_key is None and undecided.method == "authority-ambiguous"
    assert len(undecided.candidates) == 3
    # in 1850 Hans (born 1900) is out, but Alfred and Heinrich are both alive: still undecided
    assert link("Then Escher replied.", _namesakes(), year=1850)[0].entity_key is None
    one = Authority([e for e in _namesakes() if e.key != "person:escher-heinrich"])
    m = link("Then Escher replied.", one, year=1850)[0]
    assert (m.entity_key, m.method) == ("person:escher-alfred", "authority-date")


def test_fold_ignores_case_diacritics_and_punctuation() -> None:
    assert fold("L. Trotsky") == fold("l trotsky") == fold("L.Trotsky") == "l trotsky"
    assert fold("Büyükada") == "buyukada"
    assert fold("Менжинский") == "менжинскии"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("48,20815 16,36846111111111", (48.20815, 16.368461)),
        ("50.7754385 6.0815102", (50.775438, 6.08151)),
        ("47.1,8.2", (47.1, 8.2)),
        ("", None),
        ("north", None),
        ("91 10", None),
    ],
)
def test_parse_geo_reads_decimal_commas(text: str, expected: tuple[float, float] | None) -> None:
    assert parse_geo(text) == expected


def test_registers_load_people_places_ids_and_coordinates() -> None:
    corpus = need_corpus()
    people = read_register(corpus / "authority/escher/data/people/people.xml")
    escher = people.get("person:escher:Escher-_vom-Glas-Alfred")
    assert escher is not None and escher.name == "Alfred Escher"
    assert escher.dates == {"birth": "1819", "death": "1882"}
    assert escher.ids["gnd"] == "118830295" and "A. Escher" in escher.variants
    assert len(people) > 3500
    places = read_register(corpus / "authority/schnitzler-briefe/data/indices/listplace.xml")
    wien = places.get("place:pmb:50")
    assert wien is not None and wien.name == "Wien" and "Vienna" in wien.variants
    assert wien.coordinates == (48.208333, 16.373056)
    assert wien.ids["wikidata"] == "Q1741" and wien.ids["geonames"] == "2761369"
    escher_places = read_register(corpus / "authority/escher/data/places/places.xml")
    aachen = escher_places.get("place:escher:Aachen_D")
    assert aachen is not None and aachen.name == "Aachen" and aachen.coordinates is not None


def test_same_as_by_external_id_merges_registers() -> None:
    corpus = need_corpus()
    letter = corpus / "tei/schnitzler-briefe/data/editions/L00001.xml"
    refs = read_tei_refs(letter)
    schnitzler = refs.get("person:pmb:2121")
    assert schnitzler is not None and schnitzler.name == "Arthur Schnitzler"
    assert schnitzler.dates["birth"] == "1862-05-15" and schnitzler.ids["gnd"] == "118609807"
    # a CMIF file names him by his GND URI: the same entry, one more key
    key = refs.add(
        AuthorityEntry("person:gnd:118609807", "person", "Schnitzler, Arthur", (),
                       ids={"gnd": "118609807"}, origin="tei-ref")
    )  # fmt: skip
    assert key == "person:pmb:2121" and refs.resolve("person:gnd:118609807") == key
    assert "Schnitzler, Arthur" in refs.entries[key].names


def test_mentions_are_kept_in_header_fields_and_notes(store: Store, seed_dir: Path) -> None:
    ingest(store, [seed_dir])
    mentions = document_object(store, 1)["mentions"]
    where = {m["text"]: (m["paragraph"], m["field"]) for m in mentions}
    assert where["The Militant"] == (None, "Source")
    assert where["Prinkipo"] == (None, "closing")
    assert where["L. Trotsky"] == (None, "author")


def test_gold_file_is_well_formed() -> None:
    """The benchmark's gold: ≥ 300 mentions from ≥ 30 documents, every span where it says."""
    import json

    gold = json.loads((Path(__file__).parent / "data" / "entities_gold.json").read_text("utf-8"))
    docs = gold["documents"]
    mentions = [(p, m) for d in docs for p in d["paragraphs"] for m in p["mentions"]]
    assert len(docs) >= 30 and len(mentions) >= 300
    assert {d["corpus"] for d in docs} == {"mia", "escher", "schnitzler"}
    for p, m in mentions:
        assert p["text"][m["start"] : m["end"]] == m["text"]
        assert m["kind"] in ("person", "place", "organisation", "periodical")
        assert m["checked"] in ("read", "editor")


def _swiss_register() -> Authority:
    def place(key: str, name: str, subtype: str, origin: str = "escher") -> AuthorityEntry:
        return AuthorityEntry(key, "place", name, origin=origin, subtype=subtype)

    return Authority(
        [
            place("place:escher:Aargau", "Aargau", "area"),
            place("place:escher:Koblenz_AG", "Koblenz", "approximate"),
            place("place:escher:Rapperswil", "Rapperswil", "approximate"),
            place("place:escher:Emmental", "Emmental", "area"),
            place("place:pmb:63056", "Kammer", "P.PPL", origin="schnitzler"),
            place("place:escher:Wald_ZH", "Wald", "approximate"),
            AuthorityEntry("person:escher:Krøyer", "person", "Henrik Krøyer", ("Krøyer",),
                           origin="escher"),
            AuthorityEntry("person:escher:Wyss", "person", "David Wyss", ("Wyss",),
                           origin="escher"),
        ]
    )  # fmt: skip


def german(text: str, authority: Authority, collection: str = "escher") -> list:
    return Linker(authority).link_passages([Passage(text, 0, 1, None)], "de", 1850, collection)


def test_a_german_letter_spelling_names_the_old_way_is_linked_to_the_register() -> None:
    text = "Die Regierung von Argau und die Leute in Coblenz, Rapperswyl und im Emmenthal."
    found = {m.text: (m.entity_key, m.method) for m in german(text, _swiss_register())}
    assert found["Argau"] == ("place:escher:Aargau", "authority-spelling")
    assert found["Coblenz"] == ("place:escher:Koblenz_AG", "authority-spelling")
    assert found["Rapperswyl"] == ("place:escher:Rapperswil", "authority-spelling")
    assert found["Emmenthal"] == ("place:escher:Emmental", "authority-spelling")
    # a sentence's first word is no old spelling: "Wald" would not be found this way either
    assert not german("Argau ist schön.", _swiss_register())
    # a part of a hyphenated word, and ä written e
    a = _swiss_register().merge(
        Authority([AuthorityEntry("place:escher:Ägypten", "place", "Ägypten", origin="escher")])
    )
    found = {m.text: m.entity_key for m in german("Die Emmenthal-Entlebucher Bahn und Egypten", a)}
    assert found == {"Emmenthal": "place:escher:Emmental", "Egypten": "place:escher:Ägypten"}


def test_a_town_after_an_article_is_a_german_noun_not_the_town() -> None:
    a = _swiss_register()
    assert not [m for m in german("Das Budget wird in der Kammer berathen.", a) if m.entity_key]
    assert not [m for m in german("Der Wald schien ausgestorben.", a) if m.entity_key]
    assert german("Er fuhr nach Wald hinauf.", a)[0].entity_key == "place:escher:Wald_ZH"


def test_letters_with_a_stroke_and_sharp_s_meet_their_plain_spellings() -> None:
    found = {m.text: m.entity_key for m in german("Hr. Henrik Kröyer und Wyß", _swiss_register())}
    assert found == {"Henrik Kröyer": "person:escher:Krøyer", "Wyß": "person:escher:Wyss"}


def test_a_bare_surname_is_the_person_named_in_full_earlier_in_the_document() -> None:
    ms = link("William Morris wanted a weekly. After 15 months Morris had his way.")
    assert [(m.text, m.entity_key) for m in ms] == [
        ("William Morris", "person:morris-william"),
        ("Morris", "person:morris-william"),
    ]
    assert ms[1].method == "authority-surname"
    # without the full name a bare "Morris" stays unknown
    assert all(m.entity_key != "person:morris-william" for m in link("Morris had his way."))


def test_a_first_name_in_another_spelling_belongs_to_the_name() -> None:
    (m,) = link("and Serge Orjonikidze to the south")
    assert (m.text, m.entity_key) == ("Serge Orjonikidze", "person:ordzhonikidze-sergo")


def test_a_place_of_another_edition_gives_way_to_the_curated_one() -> None:
    a = demo_authority().merge(
        Authority([AuthorityEntry("place:escher:Österreich", "place", "Österreich",
                                  origin="escher", coordinates=(48.2, 16.37))])
    )  # fmt: skip
    (m,) = german("Die Lage in Österreich ist ernst.", a, collection="schnitzler")
    assert m.entity_key == "place:austria"
    (m,) = german("Die Lage in Österreich ist ernst.", a, collection="escher")
    assert m.entity_key == "place:escher:Österreich"


def test_register_subtypes_and_biographies_are_read(tmp_path: Path) -> None:
    f = tmp_path / "places.xml"
    f.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><listPlace>'
        '<place xml:id="St._Gotthard_Pass" type="mountain"><placeName type="main">St. Gotthard'
        "</placeName></place></listPlace><listPerson>"
        '<person xml:id="Weber-Johann" type="correspondent"><persName><forename>Johann Jakob'
        '</forename><surname>Weber</surname></persName><note type="bio"><p>Berner Politiker'
        "</p></note></person></listPerson></body></text></TEI>",
        encoding="utf-8",
    )
    a = read_register(f, "escher")
    pass_ = a.entries["place:escher:St._Gotthard_Pass"]
    assert pass_.subtype == "mountain" and "Gotthard" in pass_.variants
    weber = a.entries["person:escher:Weber-Johann"]
    assert weber.subtype == "correspondent" and weber.note == "Berner Politiker"
    assert "Johann Weber" in weber.variants
    assert AuthorityEntry.from_dict(weber.to_dict()) == weber


def test_a_role_before_a_surname_picks_the_namesake_whose_biography_fits() -> None:
    def weber(key: str, bio: str) -> AuthorityEntry:
        return AuthorityEntry(key, "person", f"{key.split('-')[-1]} Weber", ("Weber",),
                              dates={"birth": "1823", "death": "1880"}, note=bio,
                              origin="escher")  # fmt: skip

    a = Authority(
        [
            weber("person:escher:Weber-Johann",
                  "Berner Politiker: Regierungsrat (1858–1872, Präsident 1869), Nationalrat."),
            weber("person:escher:Weber-Hans", "Aargauer Jurist: Grossrat, Präsident des Vereins."),
            weber("person:escher:Weber-Robert", "Zürcher Theologe und Pfarrer."),
        ]
    )  # fmt: skip
    text = "Ich sprach mit Hrn. Regierungspräsident Weber. Später schrieb Hrn. Weber zurück."
    ms = german(text, a)
    assert [(m.entity_key, m.method) for m in ms] == [
        ("person:escher:Weber-Johann", "authority-role")
    ] * 2
    # no role, no guess
    assert german("Später schrieb Weber zurück.", a)[0].entity_key is None
