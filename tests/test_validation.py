"""Every class of validation error of plan-format.md §5.1, each with its exact path, line and
column, plus the absent/null distinction the rules depend on."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.errors import PlanError
from readiness.loader import load_text
from readiness.model import has
from readiness.plan_checks import validate_plan
from readiness.rules import rule_names

from .conftest import MINIMAL


def at(text: str, line: int, needle: str, nth: int = 1) -> str:
    """``plan.yaml:LINE:COL`` of the nth occurrence of ``needle`` on a 1-based line of ``text``."""
    row = text.splitlines()[line - 1]
    column = -1
    for _ in range(nth):
        column = row.index(needle, column + 1)
    return f"plan.yaml:{line}:{column + 1}"


def problems(text: str) -> list[str]:
    with pytest.raises(PlanError) as info:
        validate_plan(load_text("plan.yaml", text), rule_names())
    return [p.render("plan.yaml") for p in info.value.problems]


def valid(text: str) -> object:
    return validate_plan(load_text("plan.yaml", text), rule_names())


def test_minimal_plan_is_valid() -> None:
    plan = valid(MINIMAL)
    assert plan.rollout.name == "Pilot CRM"
    assert plan.organisation.divisions[0].impacted is True  # stated default


# 1: the file, YAML, duplicate keys, tags, limits -------------------------------------------


def test_class1_duplicate_key_names_both_lines() -> None:
    text = MINIMAL.replace("  name: Pilot CRM\n", "  name: Pilot CRM\n  name: Other\n")
    assert problems(text) == ["plan.yaml:4:3: error: rollout.name: duplicate key 'name' (first defined on line 3)"]


def test_class1_duplicate_key_in_a_list_item_has_its_path() -> None:
    text = MINIMAL.replace("{id: sales, name: Sales}", "{id: sales, name: Sales}\n    - {id: s2, name: A, name: B}")
    assert problems(text) == [
        f"{at(text, 8, 'name', 2)}: error: organisation.divisions[1].name: duplicate key 'name' (first defined on line 8)"
    ]


def test_class1_explicit_tag() -> None:
    text = MINIMAL.replace("name: Pilot CRM", "name: !!str Pilot CRM")
    assert problems(text) == ["plan.yaml:3:9: error: rollout.name: explicit tag '!!str' is not allowed"]


def test_class1_non_specific_tag() -> None:
    text = MINIMAL.replace("name: Pilot CRM", "name: ! Pilot CRM")
    assert problems(text) == ["plan.yaml:3:9: error: rollout.name: explicit tag '!' is not allowed"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("- {id: sales, name: !!str Sales}", "organisation.divisions[0].name: explicit tag '!!str' is not allowed"),
        ("- !!map {id: sales, name: Sales}", "organisation.divisions[0]: explicit tag '!!map' is not allowed"),
        ("- {id: sales, name: *nowhere}", "organisation.divisions[0].name: alias '*nowhere' refers to no anchor"),
        ("- {id: sales, ? [name]: Sales}", "organisation.divisions[0]: a mapping key must be a plain string"),
    ],
)
def test_class1_node_errors_have_their_path(edit: str, message: str) -> None:
    (line,) = problems(MINIMAL.replace("- {id: sales, name: Sales}", edit))
    assert line.startswith("plan.yaml:7:") and f": error: {message}" in line, line


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "a:\n  b: 1\n c: 2\n",
            "3:2",
            (
                "did not find expected key; check the indentation of this line against the keys of the mapping that "
                "starts on line 1, and that nothing follows a closing quote or bracket"
            ),
        ),
        (
            "rollout:\n  name: Pilot: CRM phase 2\n",
            "2:14",
            (
                "mapping values are not allowed in this context; check the indentation of this line, or quote a value "
                "that contains ': '"
            ),
        ),
        (
            "rollout:\n  name: |\nPilot\n",
            "4:1",
            (
                "could not find expected ':'; the key on line 3 needs ': ' after it on the same line; a value that goes "
                "on to the next line must be indented more than its key"
            ),
        ),
        (
            "a:\n  - b: 1\n   c: 2\n",
            "3:4",
            (
                "did not find expected '-' indicator; check the indentation of this line against the items of the list "
                "that starts on line 2"
            ),
        ),
        ("a: [1, 2\nb: 3\n", "2:2", "close the [ on line 1 with ], and separate its entries with ','"),
        ("a: {b: 1\nc: 2\n", "2:2", "close the { on line 1 with }, and separate its entries with ','"),
        ("a: 'abc\nb: 1\n", "3:1", "found unexpected end of stream; the quote on line 1 is never closed"),
        ("a:\n\tb: 1\n", "2:1", "indent with spaces: YAML does not allow tabs for indentation"),
        ("a: @x\n", "1:4", "quote a value that starts with @, ` or %"),
        ("a: - b\n", "1:4", "start a list on the line after its key, one '- item' per line indented, or write [a, b]"),
        ('a: "C:\\path"\n', "1:7", "write \\\\ for a backslash, or use single quotes"),
        ("a: &\n", "1:5", "& and * start an anchor or an alias and need a name"),
    ],
)
def test_class1_common_yaml_mistakes_get_a_hint(text: str, where: str, message: str) -> None:
    (line,) = problems(text)
    assert line.startswith(f"plan.yaml:{where}: error: invalid YAML: ") and message in line, line


def test_class1_invalid_yaml_has_position() -> None:
    text = MINIMAL.replace("name: Pilot CRM", "name: [Pilot CRM")
    (line,) = problems(text)
    assert line.startswith("plan.yaml:") and ": error: invalid YAML:" in line


# 2: schema_version ----------------------------------------------------------------------------


def test_class2_schema_version_missing() -> None:
    # an absent top-level key has no location (plan-format.md §2.2)
    assert problems(MINIMAL.replace("schema_version: 1\n", "")) == [
        "plan.yaml: error: schema_version: required field is missing"
    ]


def test_class2_schema_version_unsupported() -> None:
    assert problems(MINIMAL.replace("schema_version: 1", "schema_version: 2")) == [
        (
            "plan.yaml:1:17: error: schema_version: unsupported schema_version '2' (this tool reads format 1: "
            "write schema_version: 1)"
        )
    ]


# 3: unknown keys ------------------------------------------------------------------------------


def test_class3_unknown_key_with_hint() -> None:
    text = MINIMAL.replace("  go_live:", "  go_lve: 2026-06-01\n  go_live:")
    assert problems(text) == ["plan.yaml:4:3: error: rollout.go_lve: unknown key 'go_lve' (did you mean 'go_live'?)"]


def test_class3_extension_keys_are_allowed_anywhere() -> None:
    text = MINIMAL.replace("  name: Pilot CRM", "  name: Pilot CRM\n  x-cost-centre: CC-4410") + "x-meta: {a: 1}\n"
    valid(text)


# 4: required fields -----------------------------------------------------------------------------


def test_class4_required_field_in_present_optional_mapping() -> None:
    text = MINIMAL + "support:\n  hypercare: {end: 2026-07-01}\n"
    assert problems(text) == ["plan.yaml:9:14: error: support.hypercare.start: required field is missing"]


def test_hypercare_may_leave_its_end_unsaid_but_not_reverse_it() -> None:
    plan: Any = valid(MINIMAL + "support:\n  hypercare: {start: 2026-06-01}\n")
    assert plan.support.hypercare.end is None and not has(plan.support.hypercare, "end")
    text = MINIMAL + "support:\n  hypercare: {start: 2026-06-01, end: 2026-05-01}\n"
    assert problems(text) == ["plan.yaml:9:39: error: support.hypercare.end: 2026-05-01 is before start 2026-06-01"]


def test_class4_missing_top_level_section() -> None:
    text = "schema_version: 1\nrollout: {name: A, go_live: 2026-06-01}\n"
    assert problems(text) == ["plan.yaml: error: organisation: required field is missing"]


# 5: types ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("headcount", "012", "expected an integer, got '012'"),
        ("headcount", "1_000", "expected an integer, got '1_000'"),
        ("headcount", "1.0", "expected an integer, got '1.0'"),
        ("headcount", "-3", "-3 is below the minimum 0"),
        ("impacted", "yes", "expected true or false, got 'yes' (write true)"),
        ("impacted", "off", "expected true or false, got 'off' (write false)"),
        ("impacted", '"true"', "expected true or false, got 'true'"),
    ],
)
def test_class5_wrong_types(field: str, value: str, message: str) -> None:
    text = MINIMAL.replace("{id: sales, name: Sales}", f"{{id: sales, name: Sales, {field}: {value}}}")
    column = text.splitlines()[6].index(value) + 1
    assert problems(text) == [f"plan.yaml:7:{column}: error: organisation.divisions[0].{field}: {message}"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "2026-02-30 is not a calendar date"),
        ("1899-12-31", "1899-12-31 is outside 1900-01-01 to 2199-12-31"),
        ("2026-06-01T09:00:00", "expected a date YYYY-MM-DD, not a date-time ('2026-06-01T09:00:00')"),
        ("1767225600", "expected a date YYYY-MM-DD, got '1767225600'"),
        ("12:30", "expected a date YYYY-MM-DD, got '12:30'"),
    ],
)
def test_class5_dates(value: str, message: str) -> None:
    text = MINIMAL.replace("go_live: 2026-06-01", f"go_live: {value}")
    assert problems(text) == [f"plan.yaml:4:12: error: rollout.go_live: {message}"]


@pytest.mark.parametrize("value", ["nan", ".inf", "1e400", "+5", "0x10", "1_000"])
def test_class5_numbers_follow_the_decimal_grammar(value: str) -> None:
    text = MINIMAL + f"training: {{completion_target_pct: {value}}}\n"
    (line,) = problems(text)
    assert line.startswith("plan.yaml:8:35: error: training.completion_target_pct: ")


@pytest.mark.parametrize(
    ("extra", "path", "message"),
    [
        (
            "  hard_deadline: 2027-06-30\n",
            "rollout.hard_deadline",
            (
                "expected a mapping with date and optional reason, such as {date: 2027-06-30, reason: ...}, "
                "got '2027-06-30'"
            ),
        ),
        (
            "  go_no_go: yes\n",
            "rollout.go_no_go",
            (
                "expected a mapping with date and optional decided_by, criteria, assurance and criteria_changes, "
                "such as {date: YYYY-MM-DD, decided_by: ...}, got 'yes'"
            ),
        ),
        (
            "  contingency: [plan b]\n",
            "rollout.contingency",
            "expected a mapping with optional fallback_plan, such as {fallback_plan: ...}, got a list",
        ),
        (
            "  phases: {id: p1, type: pilot}\n",
            "rollout.phases",
            (
                "expected a list of mappings, each with id, type, start and end, and optional name, divisions and "
                "exit_criteria, got a mapping"
            ),
        ),
        ("  scope: sales\n", "rollout.scope", "expected a list, such as [sales], got 'sales'"),
        ("  scope: 12\n", "rollout.scope", "expected a list, such as [sales], got '12'"),
    ],
)
def test_class5_a_mapping_or_list_field_shows_its_form(extra: str, path: str, message: str) -> None:
    text = MINIMAL.replace("  go_live: 2026-06-01\n", "  go_live: 2026-06-01\n" + extra)
    (line,) = problems(text)
    assert line.startswith("plan.yaml:5:") and line.endswith(f": error: {path}: {message}"), line


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            (
                "communications:\n  - {id: c, sender_group: champions, audience: everyone, channel: email,\n"
                "     first_date: 2026-01-05, topics: [why]}\n"
            ),
            (
                "communications[0].audience: expected a mapping with optional divisions, levels, roles, external and "
                "segments, such as {divisions: all, levels: all}, got 'everyone'"
            ),
        ),
        (
            (
                "communications:\n  - {id: c, sender_group: champions, audience: {external: customers, segments: shops},"
                "\n     channel: email, first_date: 2026-01-05, topics: [why]}\n"
            ),
            (
                "communications[0].audience.segments: expected 'all' or a list of segment ids, such as [shops], "
                "got 'shops'"
            ),
        ),
        (
            "training:\n  sessions:\n    - {id: t, audience: {divisions: sales}, start: 2026-05-01}\n",
            (
                "training.sessions[0].audience.divisions: expected 'all' or a list of division ids, such as [sales], "
                "got 'sales'"
            ),
        ),
        (
            "training:\n  sessions:\n    - {id: t, audience: {divisions: all, levels: frontline}, start: 2026-05-01}\n",
            "training.sessions[0].audience.levels: expected 'all' or a list, such as [frontline], got 'frontline'",
        ),
        (
            "training:\n  sessions:\n    - {id: t, audience: {divisions: all, levels: staff}, start: 2026-05-01}\n",
            (
                "training.sessions[0].audience.levels: expected 'all' or a list of: executive, senior_manager, "
                "middle_manager, supervisor, frontline; got 'staff'"
            ),
        ),
        (
            "leaders:\n  - {person: p, division: sales, commitment: signed}\n",
            (
                "leaders[0].commitment: expected a mapping with signed and optional signed_on, items and usage_target, "
                "such as {signed: true, signed_on: YYYY-MM-DD}, got 'signed'"
            ),
        ),
    ],
)
def test_class5_nested_forms(section: str, message: str) -> None:
    assert next(line.split(": error: ", 1)[1] for line in problems(MINIMAL + section)) == message


def test_class5_blank_required_string() -> None:
    text = MINIMAL.replace("name: Pilot CRM", 'name: "  "')
    assert problems(text) == ["plan.yaml:3:9: error: rollout.name: must not be blank"]


def test_class5_null_not_allowed() -> None:
    text = MINIMAL + "people: null\n"
    assert problems(text) == [
        "plan.yaml:8:9: error: people: null is not allowed here; to state that a list is empty, write []"
    ]


# 6: enumerations --------------------------------------------------------------------------------


def test_class6_enumeration_lists_allowed_values() -> None:
    text = MINIMAL.replace("  go_live: 2026-06-01", "  go_live: 2026-06-01\n  approach: bigbang")
    assert problems(text) == [
        "plan.yaml:5:13: error: rollout.approach: 'bigbang' is not one of: big_bang, phased, pilot_then_waves"
    ]


# 7: ids -----------------------------------------------------------------------------------------


def test_class7_duplicate_id_across_kinds() -> None:
    text = MINIMAL + "people:\n  - {id: sales, name: Sal, level: frontline, function: sales}\n"
    assert problems(text) == ["plan.yaml:9:10: error: people[0].id: duplicate id 'sales' (first used on line 7)"]


@pytest.mark.parametrize(
    ("ident", "message"),
    [
        ("all", "'all' is reserved and cannot be an id"),
        (
            "-bad",
            "malformed id '-bad' (expected 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit)",
        ),
    ],
)
def test_class7_malformed_or_reserved_id(ident: str, message: str) -> None:
    text = MINIMAL.replace("{id: sales,", f"{{id: '{ident}',")
    (line,) = problems(text)
    assert line.startswith("plan.yaml:7:12: error: organisation.divisions[0].id: " + message)


# 8: references ----------------------------------------------------------------------------------


def test_class8_unknown_reference_lists_known() -> None:
    text = MINIMAL + (
        "people:\n  - {id: p-a, name: Ann, level: executive, function: sales}\n"
        "leaders:\n  - {person: p-a, division: sales-est}\n"
    )
    assert problems(text) == [
        "plan.yaml:11:29: error: leaders[0].division: unknown division 'sales-est' (known: sales)"
    ]


def test_class8_reference_of_the_wrong_kind() -> None:
    text = MINIMAL + "sponsor: {primary: sales}\n"
    assert problems(text) == ["plan.yaml:8:20: error: sponsor.primary: 'sales' is a division, not a person"]


def test_class8_a_reference_of_several_kinds_names_them_all() -> None:
    """An assurance review's reviewer may be a vendor, the delivery team or a person: the error
    names the three kinds and lists the known ids of each."""
    rest = (
        "people:\n  - {id: p-a, name: Ann, level: executive, function: sales}\n"
        "vendors:\n  - {id: v-qa, name: QA, role: consultant}\n"
        "delivery_team: {id: dt-it, name: IT delivery}\n"
    )

    def plan(by: str) -> str:
        gate = (
            "  go_live: 2026-06-01\n  go_no_go:\n    date: 2026-05-18\n    assurance:\n"
            f"      - {{id: ar-1, by: {by}, date: 2026-04-20, recommendation: delay}}"
        )
        return MINIMAL.replace("  go_live: 2026-06-01", gate) + rest

    for by in ("p-a", "v-qa", "dt-it"):
        valid(plan(by))
    text = plan("sales")
    assert problems(text) == [
        (
            f"{at(text, 8, 'sales')}: error: rollout.go_no_go.assurance[0].by: 'sales' is a division, not a "
            "vendor, delivery team or person"
        )
    ]
    text = plan("v-qaa")
    assert problems(text) == [
        (
            f"{at(text, 8, 'v-qaa')}: error: rollout.go_no_go.assurance[0].by: unknown vendor, delivery team or "
            "person 'v-qaa' (known: v-qa, dt-it, p-a)"
        )
    ]


# 9: ranges --------------------------------------------------------------------------------------


def test_class9_reversed_range() -> None:
    text = (
        MINIMAL
        + "training:\n  sessions:\n    - {id: t1, audience: {divisions: all}, start: 2026-03-04, end: 2026-03-01}\n"
    )
    assert problems(text) == [
        (f"{at(text, 10, '2026-03-01')}: error: training.sessions[0].end: 2026-03-01 is before start 2026-03-04")
    ]


def test_class9_kickoff_after_go_live() -> None:
    text = MINIMAL.replace("  go_live: 2026-06-01", "  go_live: 2026-06-01\n  kickoff: 2026-07-01")
    assert problems(text) == ["plan.yaml:5:12: error: rollout.kickoff: 2026-07-01 is after go_live 2026-06-01"]


# 10: exclusivity --------------------------------------------------------------------------------


def test_class10_sender_and_sender_group() -> None:
    text = MINIMAL + (
        "people:\n  - {id: p-a, name: Ann, level: executive, function: sales}\n"
        "communications:\n  - {id: c1, sender: p-a, sender_group: champions, audience: {divisions: all},\n"
        "     channel: email, first_date: 2026-01-05, topics: [why]}\n"
    )
    assert problems(text) == [
        (
            f"{at(text, 11, 'champions')}: error: communications[0].sender_group: give either sender or sender_group, "
            "not both"
        )
    ]


def test_class10_mixed_audience_and_external_training() -> None:
    text = MINIMAL + (
        "customers: {segments: [{id: seg, name: Shops}]}\n"
        "training:\n  sessions:\n    - {id: t1, audience: {external: customers, segments: all}, start: 2026-05-01}\n"
        "communications:\n  - {id: c1, sender_group: champions, audience: {divisions: all, segments: [seg]},\n"
        "     channel: email, first_date: 2026-01-05, topics: [why]}\n"
    )
    assert problems(text) == [
        (
            f"{at(text, 11, '{', 2)}: error: training.sessions[0].audience: a training session needs an internal audience "
            "(divisions, levels)"
        ),
        (
            f"{at(text, 13, '{', 2)}: error: communications[0].audience: an audience is either internal (divisions, "
            "levels, roles) or external (external, segments), not both; found divisions, segments"
        ),
    ]


def test_class10_champion_without_division() -> None:
    text = MINIMAL + (
        "people:\n  - {id: p-a, name: Ann, level: frontline, function: sales}\n"
        "champions:\n  - {person: p-a, selected_on: 2026-01-05}\n"
    )
    assert problems(text) == [
        (
            "plan.yaml:11:5: error: champions[0]: the division cannot be determined: person 'p-a' has no division; "
            "add division to this entry"
        )
    ]


def test_class10_champion_group_needs_its_division_but_not_its_size() -> None:
    """A group of champions whose size the sources do not give is written without count; it
    still needs the division it serves, and an entry with neither person nor division is an error."""
    valid(MINIMAL + "champions:\n  - {division: sales, type: super_user, selected_on: 2026-01-05}\n")
    text = MINIMAL + "champions:\n  - {type: super_user, selected_on: 2026-01-05}\n"
    assert problems(text) == [
        (
            "plan.yaml:9:5: error: champions[0]: one of person or division is required: a named champion gives "
            "person, a group its division"
        )
    ]


# 11: phases and go-live -------------------------------------------------------------------------


def test_class11_wave_without_divisions_and_before_go_live() -> None:
    text = MINIMAL.replace(
        "  go_live: 2026-06-01",
        "  go_live: 2026-06-01\n  phases:\n    - {id: w1, type: wave, start: 2026-05-01, end: 2026-05-30}",
    )
    assert problems(text) == [
        "plan.yaml:6:7: error: rollout.phases[0].divisions: a wave phase must list its divisions",
        (
            f"{at(text, 6, '2026-05-01')}: error: rollout.phases[0].start: wave starts 2026-05-01, before "
            "rollout.go_live 2026-06-01"
        ),
    ]


def test_class11_go_live_must_be_the_first_division_go_live() -> None:
    text = MINIMAL.replace(
        "  go_live: 2026-06-01",
        "  go_live: 2026-06-01\n  phases:\n    - {id: w1, type: wave, divisions: [sales], start: 2026-07-01, end: 2026-07-30}",
    )
    assert problems(text) == [
        (
            "plan.yaml:4:12: error: rollout.go_live: 2026-06-01 is not the first division go-live: every impacted "
            "division goes live in a later wave, the earliest on 2026-07-01"
        )
    ]


def test_class11_no_impacted_division() -> None:
    text = MINIMAL.replace("{id: sales, name: Sales}", "{id: sales, name: Sales, impacted: false}")
    assert problems(text) == [
        (
            "plan.yaml:7:5: error: organisation.divisions: no impacted division: at least one division must have "
            "impacted: true"
        )
    ]


# 12: waivers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("LEG009", "unknown rule 'LEG009' (did you mean 'LEG004'?)"),
        ("PLAN001", "'PLAN001' is a waiver meta rule; PLAN rules cannot be waived"),
        (
            "sales-role-without-automation",
            ("unknown rule 'sales-role-without-automation'; a custom rule is waived by its ID, such as XSAL001"),
        ),
    ],
)
def test_class12_waiver_rule(rule: str, message: str) -> None:
    text = MINIMAL + f"waivers:\n  - {{rule: {rule}, reason: r, owner: o, expires: 2026-12-31}}\n"
    assert problems(text) == [f"{at(text, 9, rule)}: error: waivers[0].rule: {message}"]


def test_class12_waiver_target_and_custom_rule_id() -> None:
    text = MINIMAL + (
        "waivers:\n  - {rule: XSAL001, reason: r, owner: o, expires: 2026-12-31}\n"
        "  - {rule: LEAD001, target: nobody, reason: r, owner: o, expires: 2026-12-31}\n"
    )
    assert problems(text) == [f"{at(text, 10, 'nobody')}: error: waivers[1].target: 'nobody' is not an id in this plan"]


# all together, and absent versus null -----------------------------------------------------------


def test_all_structural_errors_are_reported_together_in_file_order() -> None:
    text = MINIMAL.replace("go_live: 2026-06-01", "go_live: 2026-13-01\n  approach: bigbang") + "people: null\n"
    assert [line.split(": error: ")[1].split(":")[0] for line in problems(text)] == [
        "rollout.go_live",
        "rollout.approach",
        "people",
    ]


def test_absent_null_and_empty_stay_distinct() -> None:
    plan = valid(
        MINIMAL + "champions: []\nrollout_x: 1\n".replace("rollout_x: 1\n", "") + "governance: {change_manager: null}\n"
    )
    assert not has(plan, "leaders")
    assert has(plan, "champions") and plan.champions == []
    assert has(plan.governance, "change_manager") and plan.governance.change_manager is None
    assert not has(plan.governance, "business_owner")
