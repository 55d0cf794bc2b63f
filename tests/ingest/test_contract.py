"""The export contract as data matches export-format.md's structure."""

from pipelines import contract
from pipelines.normalise import fold_header, fold_value


def test_seven_files_with_unique_tables():
    assert [f.name for f in contract.FILES] == [
        "klienti", "kontakty", "kurzy", "ucastnici_kurzu", "akce", "ucastnici_akci", "vysledky",
    ]
    assert len({f.table for f in contract.FILES}) == 7


def test_headers_fold_uniquely_within_each_file():
    for export in contract.FILES:
        folded = [fold_header(c.header) for c in export.columns]
        assert len(folded) == len(set(folded)), export.name
        assert len({c.name for c in export.columns}) == len(export.columns)


def test_every_file_has_a_key_and_a_deletion_flag():
    for export in contract.FILES:
        assert export.key_columns, export.name
        assert all(c.required for c in export.key_columns)
        assert export.columns[-1].name == "deleted"


def test_enumeration_labels_fold_to_distinct_keys_per_list():
    for values in (contract.SEX, contract.RESIDENCE_STATUS, contract.TARGET_GROUP, contract.SERVICE,
                   contract.TOPIC, contract.MODE, contract.COURSE_TYPE, contract.EXAM,
                   contract.EVENT_TYPE, contract.AUDIENCE, contract.OUTCOME, contract.CEFR):
        folded = [fold_value(label) for label in values]
        assert len(folded) == len(set(folded))


def test_value_lists_have_the_contract_sizes():
    assert len(set(contract.SERVICE.values())) == 6
    assert len(set(contract.OUTCOME.values())) == 11
    assert len(set(contract.EVENT_TYPE.values())) == 7
    assert len(set(contract.TOPIC.values())) == 9
    assert contract.CEFR_LEVELS[0] == "pre-A1" and contract.CEFR_LEVELS[-1] == "C2"


def test_client_references_are_marked():
    referencing = {f.name for f in contract.FILES for c in f.columns if c.references_client}
    assert referencing == {"kontakty", "ucastnici_kurzu", "ucastnici_akci", "vysledky"}
