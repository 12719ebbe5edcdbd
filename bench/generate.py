"""A deterministic generator of valid plans of N people, for the benchmark (not a test).

Everything scales with N in roughly the proportions of a real plan: a division per 200 people,
a leader and a few sessions per division, a champion per 20 people, a communication per 100,
a legacy report per 100, and so on. The same N always gives the same bytes.

    python bench/generate.py 10000 > big.yaml
"""

from __future__ import annotations

import datetime as dt
import sys

LEVELS = ("senior_manager", "middle_manager", "supervisor", "frontline", "frontline", "frontline")
FUNCTIONS = ("sales", "service", "marketing", "operations")


def day(base: dt.date, offset: int) -> str:
    return (base + dt.timedelta(days=offset)).isoformat()


def plan(people: int, name: str = "Generated rollout") -> str:
    go_live = dt.date(2027, 6, 1)
    kickoff = go_live - dt.timedelta(days=365)
    divisions = max(1, people // 200)
    out = [
        f"# generated plan: {people} people",
        "schema_version: 1",
        "rollout:",
        f"  name: {name} ({people} people)",
        "  scope: [sales, service, marketing]",
        "  approach: phased",
        f"  kickoff: {kickoff.isoformat()}",
        f"  go_live: {go_live.isoformat()}",
        "  recommended_duration_days: 400",
        "  hard_deadline: null",
        "  contingency: {fallback_plan: The legacy system stays writable for two weeks.}",
        "  peak_periods:",
        f"    - {{id: peak-a, name: Year end, start: {day(go_live, 150)}, end: {day(go_live, 200)}, divisions: all}}",
        "  phases:",
        f"    - {{id: ph-design, type: design, start: {day(kickoff, 30)}, end: {day(kickoff, 120)}}}",
        f"    - {{id: ph-build, type: build, start: {day(kickoff, 121)}, end: {day(kickoff, 280)}}}",
        f"  go_no_go: {{date: {day(go_live, -14)}, decided_by: p0, criteria: [training complete]}}",
        "organisation:",
        "  divisions:",
    ]
    out += [
        f"    - {{id: d{d}, name: Division {d}, headcount: {people // divisions}, "
        "levels: [senior_manager, middle_manager, supervisor, frontline]}"
        for d in range(divisions)
    ]
    out.append("  concurrent_changes:")
    out += [
        f"    - {{id: chg{c}, name: Change {c}, type: system, divisions: [d{c}], start: {day(go_live, -200)}, "
        f"end: {day(go_live, -150)}}}"
        for c in range(max(1, divisions // 2))
    ]
    out.append("people:")
    out.append("  - {id: p0, name: Person 0, level: executive, function: general_management}")
    for i in range(1, people):
        out.append(
            f"  - {{id: p{i}, name: Person {i}, level: {LEVELS[i % len(LEVELS)]}, "
            f"function: {FUNCTIONS[i % len(FUNCTIONS)]}, division: d{i % divisions}}}"
        )
    out += ["sponsor:", "  primary: p0", "  authority_over: all", f"  history: [{{person: p0, from: {kickoff}}}]"]
    out.append("leaders:")
    for d in range(divisions):
        leader = d if d > 0 else divisions if divisions < people else 0  # a person of division d
        out.append(
            f"  - {{person: p{leader}, division: d{d}, trained_on: {day(go_live, -60)}, "
            f"commitment: {{signed: true, signed_on: {day(go_live, -120)}}}}}"
        )
    out += [
        "governance:",
        "  business_owner: p0",
        "  change_manager: {person: p0, allocation_pct: 80}",
        f"  readiness_review: {{date: {day(go_live, -35)}}}",
        "project_team:",
        "  members:",
    ]
    members = sorted({0, min(1, people - 1), min(3, people - 1), *range(0, people, 50)})  # every level
    out += [f"    - {{person: p{i}, joined_on: {day(kickoff, 10)}}}" for i in members]
    out.append("processes:")
    out += [f"  - {{id: proc{d}, name: Process {d}, owner: p0, change_degree: high}}" for d in range(divisions)]
    out.append("champions:")  # one per 20 people: a named champion and a group in each division
    size = max(1, people // divisions)
    for d in range(divisions):
        named = d if d > 0 else divisions if divisions < people else 0
        out.append(f"  - {{person: p{named}, division: d{d}, allocation_pct: 10, selected_on: {day(kickoff, 20)}}}")
        out.append(
            f"  - {{division: d{d}, count: {max(1, size // 20)}, allocation_pct: 10, selected_on: {day(kickoff, 20)}}}"
        )
    out.append("communications:")
    for c in range(max(2, people // 100)):
        audience = "{divisions: all}" if c % 3 == 0 else f"{{divisions: [d{c % divisions}]}}"
        out.append(
            f"  - {{id: c{c}, sender: p0, audience: {audience}, channel: email, "
            f"first_date: {day(kickoff, 7 + c % 30)}, cadence_days: 14, topics: [why, progress, wiifm]}}"
        )
    out.append(
        f"  - {{id: c-teams, sender_group: line_managers, audience: {{divisions: all}}, channel: team_meeting, "
        f"first_date: {day(kickoff, 90)}, topics: [day_to_day_impact]}}"
    )
    out += ["training:", "  completion_target_pct: 95", "  completion_tracked: true", "  sessions:"]
    for d in range(divisions):
        out.append(
            f"    - {{id: t{d}-lead, audience: {{divisions: [d{d}], levels: [senior_manager, middle_manager]}}, "
            f"start: {day(go_live, -60)}, mandatory: true}}"
        )
        out.append(
            f"    - {{id: t{d}-staff, audience: {{divisions: [d{d}]}}, start: {day(go_live, -21)}, "
            f"end: {day(go_live, -17)}, mandatory: true}}"
        )
    out += [
        "support:",
        f"  hypercare: {{start: {go_live}, end: {day(go_live, 60)}, first_line: [help_desk]}}",
        "legacy:",
        "  reports:",
    ]
    out += [
        f"    - {{id: rpt{r}, name: Report {r}, replaced_by: dash, retire_by: {day(go_live, 30)}}}"
        for r in range(max(1, people // 100))
    ]
    out.append("  systems:")
    out += [f"    - {{id: sys{d}, name: System {d}, read_only_from: {day(go_live, 14)}}}" for d in range(divisions)]
    out += [
        "vendors:",
        (
            "  - {id: v-impl, name: Integrator, role: implementor, due_diligence: {references_checked: 3, "
            "demo_on_our_data: true, named_team: true, team_experience_verified: true}, success_criteria: [s], "
            f"success_criteria_agreed_on: {day(kickoff, 60)}, acceptance_criteria: [a]}}"
        ),
        "success_metrics:",
        (
            f"  - {{id: m1, kind: business, name: Forecast, business_problem: misses, baseline: 60, target: 80, "
            f"target_date: {day(go_live, 200)}, owner: p0}}"
        ),
        (
            f"  - {{id: m2, kind: adoption, name: Active users, baseline: 0, target: 85, target_date: {day(go_live, 90)}, "
            "owner: p0, review_cadence_days: 7}"
        ),
        "adoption_design:",
        "  roles:",
    ]
    out += [
        f"    - {{id: role{d}, function: sales, level: frontline, minutes_per_day_before: 60, "
        "minutes_per_day_after: 40, manual_fields_per_record: 8, automations: [email_capture], wiifm: [leads], "
        "double_entry: false, variable_pay: false}"
        for d in range(divisions)
    ]
    out.append("  reinforcement:")
    out += [f"    - {{role: role{d}, mechanism: Pipeline reviews in the CRM}}" for d in range(divisions)]
    out += ["customers:", "  segments:"]
    out += [
        f"    - {{id: seg{d}, name: Segment {d}, current_channels: [email], changes: [new_portal]}}"
        for d in range(divisions)
    ]
    out.append(
        f"  - {{id: c-customers, sender: p0, audience: {{external: customers, segments: all}}, channel: email, "
        f"first_date: {day(go_live, -60)}, topics: [day_to_day_impact]}}"
    )
    # the customer notice belongs in communications: move it there
    notice = out.pop()
    at = out.index("training:")
    out.insert(at, notice)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(plan(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
