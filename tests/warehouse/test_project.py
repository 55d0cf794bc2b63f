"""The dbt project's shape: layers and their DAG, one YAML beside each model, and which rules dbt owns."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from reach.build import PROJECT_DIR

MODELS_DIR = PROJECT_DIR / "models"
SUITES_DIR = PROJECT_DIR / "expectations" / "suites"
LAYERS = {"staging": "stg_", "intermediate": "int_", "marts": ("dim_", "fct_"), "marts/operations": "mart_"}
# The rules dbt owns (docs/quality.md, "Who checks what"), all in one `keys` test a model
# (data_tests/generic/keys.sql); every other kind of rule is GX's.
KEY_RULES = {"not_null", "unique", "relationships", "composed"}


def model_files() -> dict[str, Path]:
    return {path.stem: path for path in MODELS_DIR.rglob("*.sql")}


def model_yaml(sql: Path) -> dict[str, Any]:
    """The YAML beside a model: one file `<model>.yml` declaring that model only."""
    document = yaml.safe_load(sql.with_suffix(".yml").read_text(encoding="utf-8"))
    [model] = document["models"]
    assert model["name"] == sql.stem
    return document


def model_tests(model: dict[str, Any]) -> list[str]:
    return [test if isinstance(test, str) else next(iter(test)) for test in model.get("data_tests", [])]


def key_rules(model: dict[str, Any]) -> dict[str, Any]:
    """The arguments of the model's keys test (empty when it has none)."""
    for test in model.get("data_tests", []):
        if isinstance(test, dict) and "keys" in test:
            return test["keys"]["arguments"]
    return {}


def test_every_model_has_its_yaml_beside_it() -> None:
    for name, sql in model_files().items():
        assert sql.with_suffix(".yml").is_file(), f"{name}: no {name}.yml beside {sql.name}"
        model = model_yaml(sql)["models"][0]
        assert model.get("description", "").strip(), f"{name} has no description"
        assert model.get("columns"), f"{name} documents no columns"
        assert all(c.get("description", "").strip() for c in model["columns"]), f"{name}: a column is undescribed"
    yml = {path.stem for path in MODELS_DIR.rglob("*.yml") if not path.name.startswith("_")} - {"exposures"}
    assert sorted(yml - set(model_files())) == []  # no YAML without its model
    assert [p.name for p in MODELS_DIR.rglob("_*.yml")] == ["_sources.yml"]


def test_models_sit_in_their_layer() -> None:
    for name, sql in model_files().items():
        layer = str(sql.parent.relative_to(MODELS_DIR))
        assert name.startswith(LAYERS[layer]), f"{name} in {layer}"


def test_the_dag_runs_from_sources_to_marts() -> None:
    """Staging reads only sources; intermediate reads staging, intermediate and seeds; no model
    below the marts reads a mart."""
    refs = {name: set(re.findall(r"ref\('([a-z_]+)'\)", sql.read_text(encoding="utf-8")))
            for name, sql in model_files().items()}
    for name, used in refs.items():
        if name.startswith("stg_"):
            assert used == set(), name
            assert "source(" in model_files()[name].read_text(encoding="utf-8"), name
        if name.startswith("int_"):
            assert all(u.startswith(("stg_", "int_", "ref_")) for u in used), (name, used)
    # The union of the three, each row with its client's attributes (macro client_attributes).
    assert refs["fct_activities"] == {"int_activities_contacts", "int_activities_courses", "int_activities_events",
                                      "int_clients"}


def test_dbt_keeps_only_keys_and_relationships() -> None:
    """Value sets, ranges and completeness are GX's: a model declares at most one test, `keys`, with
    key rules only, and its columns none (one dbt node a model: dbt's cost is per node)."""
    for name, sql in model_files().items():
        [model] = model_yaml(sql)["models"]
        assert set(model_tests(model)) <= {"keys"} and len(model_tests(model)) <= 1, f"{name}: {model_tests(model)}"
        assert set(key_rules(model)) <= KEY_RULES, f"{name}: {sorted(key_rules(model))}"
        for test in model.get("data_tests", []):  # named after its model in dbt's output and the logs
            assert test["keys"].get("name") == f"keys_{name}", name
        columns = {column["name"] for column in model["columns"]}
        named = [*key_rules(model).get("not_null", []), *key_rules(model).get("composed", {})]
        for key in key_rules(model).get("unique", []):
            named += [key] if isinstance(key, str) else key
        for relationship in key_rules(model).get("relationships", []):
            named += [relationship["column"]] if isinstance(relationship["column"], str) else relationship["column"]
        assert set(named) <= columns, f"{name}: {sorted(set(named) - columns)} not among its columns"
        for column in model["columns"]:
            assert "data_tests" not in column, f"{name}.{column['name']}: a column test (declare it in keys)"


def test_marts_have_key_tests() -> None:
    for name in ("dim_client", "fct_contacts", "fct_course_enrolments", "fct_event_participation", "fct_events",
                 "fct_outcomes", "dim_country", "dim_district", "dim_service", "dim_outcome", "dim_date"):
        [model] = model_yaml(model_files()[name])["models"]
        key = model["columns"][0]["name"]
        assert key in key_rules(model)["unique"] and key in key_rules(model)["not_null"], name


def test_gx_suites_hold_no_key_or_relationship_rules_of_the_marts() -> None:
    """The mart suites leave keys, uniqueness and relationships to dbt (one owner per rule)."""
    for path in SUITES_DIR.glob("mart_*.yml"):
        suite = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in [*suite.get("expectations", []), *suite.get("checks", [])]:
            assert not re.search(r"_key_present$|_unique$|_exists$|_key_is_", rule["id"]), f"{path.stem}.{rule['id']}"
            assert "HAVING count(*) > 1" not in rule.get("query", ""), f"{path.stem}.{rule['id']}"


def test_profile_writes_nothing_outside_the_build() -> None:
    profile = (PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8")
    assert "env_var('REACH_BUILD_DB')" in profile and "env_var('REACH_RAW_DB')" in profile
    assert "read_only: true" in profile
    assert not (PROJECT_DIR / "packages.yml").exists() and not (PROJECT_DIR / "dependencies.yml").exists()


def test_project_dir_is_the_repo_root() -> None:
    assert (PROJECT_DIR / "dbt_project.yml").is_file()
    assert Path(__file__).resolve().parents[2] == PROJECT_DIR


def test_no_model_test_has_a_seed_among_its_parents() -> None:
    """An incremental build keeps the published seeds and runs `dbt build --exclude resource_type:seed`
    (reach/build_state.py): dbt then also leaves out every test with a seed among its parents, so such
    a test would run in full builds only. Keep seeds out of the models' and singular tests (a unit
    test's `given` inputs are not parents: unit tests hang off their model)."""
    seeds = {path.stem for path in (PROJECT_DIR / "seeds").glob("*.csv")}
    assert seeds, "no seeds found"

    def seed_refs(text: str) -> set[str]:
        return set(re.findall(r"ref\(\s*['\"]([a-z_]+)['\"]\s*\)", text)) & seeds

    found = {}
    for name, sql in model_files().items():
        [model] = model_yaml(sql)["models"]
        tests = [model.get("data_tests", []), *(column.get("data_tests", []) for column in model["columns"])]
        targets = [f"ref('{r['to']}')" for r in key_rules(model).get("relationships", [])]  # keys names models bare
        if refs := seed_refs(yaml.safe_dump(tests) + " ".join(targets)):
            found[name] = refs
    for singular in (PROJECT_DIR / "data_tests").glob("*.sql"):
        if refs := seed_refs(singular.read_text(encoding="utf-8")):
            found[singular.name] = refs
    assert found == {}
    assert seed_refs("relationships: {to: ref('ref_districts'), field: district_code}") == {"ref_districts"}
