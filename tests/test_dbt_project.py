"""The dbt project's YAML against the export contract: every model documented, value lists exact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipelines import contract
from pipelines.build import PROJECT_DIR

MODELS_DIR = PROJECT_DIR / "models"
UNKNOWN = contract.UNKNOWN
REACH_DISTRICTS = [*contract.USTI_DISTRICTS, "outside_region", UNKNOWN]

# Column name -> the contract's codes that an accepted_values test on it must list exactly.
CONTRACT_VALUES: dict[str, list[str]] = {
    "sex": list(dict.fromkeys(contract.SEX.values())),
    "residence_status": list(dict.fromkeys(contract.RESIDENCE_STATUS.values())),
    "target_group": [*dict.fromkeys(contract.TARGET_GROUP.values()), UNKNOWN],
    "service": list(dict.fromkeys(contract.SERVICE.values())),
    "topic": [*dict.fromkeys(contract.TOPIC.values()), UNKNOWN],
    "mode": [*dict.fromkeys(contract.MODE.values()), UNKNOWN],
    "course_type": list(dict.fromkeys(contract.COURSE_TYPE.values())),
    "level_in": [*contract.CEFR_LEVELS, UNKNOWN],
    "level_out": [*contract.CEFR_LEVELS, UNKNOWN],
    "exam": list(dict.fromkeys(contract.EXAM.values())),
    "event_type": list(dict.fromkeys(contract.EVENT_TYPE.values())),
    "audience": [*dict.fromkeys(contract.AUDIENCE.values()), UNKNOWN],
    "outcome": list(dict.fromkeys(contract.OUTCOME.values())),
    "code": list(dict.fromkeys(contract.OUTCOME.values())),  # dim_outcome.code
    "district": REACH_DISTRICTS,
    "event_district": REACH_DISTRICTS,
}


def model_docs() -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for path in MODELS_DIR.rglob("*.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            docs[model["name"]] = model
    return docs


def accepted_values(column: dict[str, Any]) -> list[list[str]]:
    found = []
    for test in column.get("data_tests", []):
        if isinstance(test, dict) and "accepted_values" in test:
            found.append(test["accepted_values"]["arguments"]["values"])
    return found


def test_every_model_file_is_documented() -> None:
    docs = model_docs()
    files = {path.stem for path in MODELS_DIR.rglob("*.sql")}
    assert sorted(files - set(docs)) == []
    assert sorted(set(docs) - files) == []
    for name, model in docs.items():
        assert model.get("description", "").strip(), f"{name} has no description"
        assert model.get("columns"), f"{name} documents no columns"


def test_accepted_values_are_the_contract_lists() -> None:
    checked = 0
    for name, model in model_docs().items():
        for column in model.get("columns", []):
            for listed in accepted_values(column):
                expected = CONTRACT_VALUES.get(column["name"])
                if expected is None:
                    continue  # lists of the warehouse's own (activity_kind, kind)
                assert sorted(listed) == sorted(expected), f"{name}.{column['name']}"
                checked += 1
    assert checked >= 25


def test_marts_have_key_tests() -> None:
    docs = model_docs()
    for name in ("dim_client", "fct_contacts", "fct_course_enrolments", "fct_event_participation", "fct_events",
                 "fct_outcomes", "dim_country", "dim_district", "dim_service", "dim_outcome", "dim_date"):
        first = docs[name]["columns"][0]
        assert "unique" in first["data_tests"] and "not_null" in first["data_tests"], name


def test_profile_writes_nothing_outside_the_build() -> None:
    profile = (PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8")
    assert "env_var('REACH_BUILD_DB')" in profile and "env_var('REACH_RAW_DB')" in profile
    assert "read_only: true" in profile
    assert not (PROJECT_DIR / "packages.yml").exists() and not (PROJECT_DIR / "dependencies.yml").exists()


def test_project_dir_is_the_repo_root() -> None:
    assert (PROJECT_DIR / "dbt_project.yml").is_file()
    assert Path(__file__).resolve().parents[1] == PROJECT_DIR
