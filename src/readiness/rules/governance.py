"""Vendor and governance (GOV)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Annotated, Any

from readiness.findings import Result
from readiness.model import Function, Recommendation, has
from readiness.paths import Path
from readiness.rules.base import OptCount, OptDays, Options, heuristic, present, rule, sourced
from readiness.rules.context import Context, days, is_empty, plus
from readiness.types import Bool, Pct, enum_checks
from readiness.wording import day, join, num, parts, plural, relative

CHECKS = ("demo_on_our_data", "named_team", "team_experience_verified")
CheckName = Annotated[str, *enum_checks(CHECKS)]


@dataclass(frozen=True)
class Implementor:
    """Who GOV001 and GOV002 hold to account: an implementor vendor, or the delivery team."""

    id: str
    path: Path  # of the vendor or of the team
    node: Any  # a Vendor or the DeliveryTeam: both carry the same due-diligence and success fields
    word: str  # how a message names its kind


NO_IMPLEMENTOR = "no vendor is an implementor and the plan states there is no delivery team"


def implementors(ctx: Context) -> list[Implementor] | Result:
    """The implementor vendors; when there are none, the organisation's own delivery team. With
    neither, the plan-level result: unknown while either is unsaid (the vendors first, so that a
    plan without them reads as before), a failure once the plan states both are absent."""
    vendors = ctx.plan.vendors
    found = [
        Implementor(v.id, ("vendors", i), v, "implementor")
        for i, v in enumerate(vendors or [])
        if v.role == "implementor"
    ]
    if found:
        return found
    team = ctx.plan.delivery_team
    if team is not None:
        return [Implementor(team.id, ("delivery_team",), team, "delivery team")]
    if vendors is None:
        return ctx.unknown(None, ("vendors",), [("vendors",)])
    if not has(ctx.plan, "delivery_team"):
        return ctx.unknown(None, ("delivery_team",), [("delivery_team",)])
    return ctx.failed(None, ("delivery_team",), f"No implementor is named: {NO_IMPLEMENTOR}.")


class Gov001Options(Options):
    min_references: OptCount = heuristic(2, "Least client references actually contacted.")
    required_checks: list[CheckName] = heuristic(list(CHECKS), "Vetting checks that must be done.")
    min_similar_implementations: OptCount = heuristic(
        1, "Least rollouts comparable in industry or scale that the implementor has delivered; 0 turns the check off."
    )


@rule(
    "GOV001",
    "unvetted-implementor",
    "error",
    "The implementor has not been vetted",
    seeds=("S2",),
    rationale="""In S2, the outsourced discovery and deployment team lacked the expertise and the
    understanding of the organisation's goals, and the seed's first lesson is to vet external teams
    thoroughly. Waste Management alleged that SAP's pre-contract demonstrations used mock-up
    environments and that it was given a team that had never worked with the software (settled
    2010). The County of Marin alleged that Deloitte staffed its SAP project with "rookies";
    Deloitte denied it and the case settled in 2013. Both are allegations. An organisation that
    delivers the rollout itself needs the same scrutiny: the independent assessment of Cover
    Oregon commissioned by the state (First Data Government Solutions, 2014) found that the state
    had taken on the systems-integrator role itself. So the rule checks the internal delivery team
    when no outside implementor is engaged, and asks of either that it has delivered a rollout
    comparable in industry or scale before.""",
    remediation="""Check references from comparable rollouts, require a demonstration on your own
    data and processes, and name and verify key implementor staff in the contract.""",
    sources=(
        "Seed S2",
        "Waste Management v. SAP (allegations; settled 2010)",
        "County of Marin v. Deloitte (allegations; settled 2013)",
        "First Data Government Solutions, independent assessment of Cover Oregon, 2014",
    ),
    options=Gov001Options,
    question="""Who implements the rollout, an outside implementor or your own delivery team, and
    how was it vetted: references called, comparable rollouts delivered, a demonstration on your
    own data, key staff named and their experience checked? Record it in
    `vendors[].due_diligence` or `delivery_team.due_diligence`.""",
    owner=("owner", "business_owner"),
)
def unvetted_implementor(ctx: Context, opt: Gov001Options) -> Iterator[Result]:
    found = implementors(ctx)
    if isinstance(found, Result):
        yield found
        return
    for imp in found:
        path = (*imp.path, "due_diligence")
        if not has(imp.node, "due_diligence"):
            yield ctx.unknown(imp.id, path, [path])
            continue
        dd = imp.node.due_diligence
        problems: list[str] = []
        absent: list[tuple[Any, ...]] = []
        if dd is None:
            problems.append("no due diligence recorded")
        else:
            if dd.references_checked is None:
                absent.append((*path, "references_checked"))
            elif dd.references_checked < opt.min_references:
                checked = plural(dd.references_checked, "reference")
                problems.append(f"only {checked} checked (minimum {opt.min_references})")
            if opt.min_similar_implementations > 0:  # at 0 nothing can fail, so nothing is needed
                similar = dd.similar_implementations
                if similar is None:
                    absent.append((*path, "similar_implementations"))
                elif similar < opt.min_similar_implementations:
                    done = f"only {similar}" if similar else "no"
                    problems.append(
                        f"{done} comparable {'rollout' if similar == 1 else 'rollouts'} delivered "
                        f"(minimum {opt.min_similar_implementations})"
                    )
            not_done = []
            for check in opt.required_checks:
                value = getattr(dd, check)
                if value is False:
                    not_done.append(check)
                elif value is None:
                    absent.append((*path, check))
            if not_done:
                problems.append(f"{join(not_done)} not done")
        if problems:
            called = ctx.called(imp.word.capitalize(), imp.id)
            yield ctx.failed(imp.id, path, parts(f"{called} has not been vetted: ", problems))
        elif absent:
            yield ctx.unknown(imp.id, path, absent)
        else:
            yield ctx.passed(imp.id, path)


class Gov002Options(Options):
    require_before_build: Bool = heuristic(True, "Success criteria must be signed before build starts.")


@rule(
    "GOV002",
    "success-not-agreed-with-vendor",
    "warning",
    "Success is not defined and agreed with the implementor",
    seeds=("S2",),
    rationale="""S2's second lesson is to align expectations, so that leaders, stakeholders and the
    implementor share one picture of success. At Nike, realistic expectations were never set. Waste
    Management and SAP ended up blaming each other over who had failed to define requirements. The
    Dynamics 365 Implementation Guide asks for a mutual understanding of scope before build. The
    same holds when the organisation delivers the rollout itself: the rule then asks it of the
    internal delivery team, as a state that was its own integrator would have needed (Cover Oregon;
    First Data Government Solutions, 2014).""",
    remediation="""Write down business outcomes and acceptance criteria, and have both sides sign
    them before build starts.""",
    sources=(
        "Seed S2",
        "CIO on Nike i2, 2000",
        "Waste Management v. SAP (allegations; settled 2010)",
        "Microsoft, Dynamics 365 Implementation Guide",
        "First Data Government Solutions, independent assessment of Cover Oregon, 2014",
    ),
    options=Gov002Options,
    question="""Have you and the implementor, or your own delivery team, written down the business
    outcomes and acceptance criteria, and when did both sides sign them? Record it in the
    vendor's or the `delivery_team`'s `success_criteria`, `acceptance_criteria` and
    `success_criteria_agreed_on`.""",
    owner=("owner", "business_owner"),
)
def success_not_agreed(ctx: Context, opt: Gov002Options) -> Iterator[Result]:
    builds = [p.start for p in ctx.rollout.phases or [] if p.type == "build"]
    build_start = min(builds) if builds else None
    due = build_start if opt.require_before_build else None  # criteria signed by the start of build
    found = implementors(ctx)
    if isinstance(found, Result):
        yield found if found.status == "unknown" else replace(found, due=due)
        return
    for imp in found:
        v, path = imp.node, imp.path
        problems = []
        absent = [
            (*path, f)
            for f in ("success_criteria", "success_criteria_agreed_on", "acceptance_criteria")
            if not has(v, f)
        ]
        if has(v, "success_criteria") and is_empty(v.success_criteria):
            problems.append("no success criteria")
        if has(v, "success_criteria_agreed_on") and v.success_criteria_agreed_on is None:
            problems.append("not signed")
        if has(v, "acceptance_criteria") and is_empty(v.acceptance_criteria):
            problems.append("no acceptance criteria")
        signed = v.success_criteria_agreed_on
        if opt.require_before_build and build_start is not None and signed is not None and signed > build_start:
            problems.append(f"signed {day(signed)}, after build starts {day(build_start)}")
        if problems:
            called = ctx.called(imp.word, imp.id)
            yield ctx.failed(imp.id, path, parts(f"Success with {called} is not agreed: ", problems), due=due)
        elif absent:
            yield ctx.unknown(imp.id, path, absent, due=due)
        else:
            yield ctx.passed(imp.id, path)


class Gov003Options(Options):
    headcount_threshold: OptCount = heuristic(
        100, "Impacted headcount from which a substantial allocation is expected."
    )
    min_allocation_pct: Pct = heuristic(50, "Least share of the change manager's time, in percent.")


@rule(
    "GOV003",
    "no-change-manager",
    "warning",
    "No dedicated change-management resource",
    seeds=("S2", "S4"),
    rationale="""Prosci's 12th edition lists dedicated change-management resources among the seven
    top contributors, and its 2016 edition ranks a lack of change-management resourcing as the
    second obstacle. In the 2016 data, 15% of projects with poor change management met their
    objectives against 94% with excellent change management (self-reported; an association, not
    proof). The Dynamics 365 checklist asks who is responsible for change management, and S2 and S4
    both end on the same lesson: change management is not optional.""",
    remediation="Appoint a change manager with protected time from the start of the project.",
    sources=(
        "Seeds S2, S4",
        "Prosci, Best Practices in Change Management, 2016 and 12th edition",
        "Microsoft, Dynamics 365 change-management checklist",
    ),
    options=Gov003Options,
    requires=(("governance",), ("governance", "change_manager")),
    question="""Who is the change manager, and how much of their time goes to this rollout?
    Record it in `governance.change_manager`.""",
    owner=("programme_lead", "sponsor", "business_owner"),
)
def no_change_manager(ctx: Context, opt: Gov003Options) -> Iterator[Result]:
    path = ("governance", "change_manager")
    cm = present(ctx.plan.governance).change_manager
    if cm is None:
        yield ctx.failed(None, path, "No dedicated change manager is named.")
        return
    known = [d.headcount for _, d in ctx.impacted if d.headcount is not None]
    all_known = len(known) == len(ctx.impacted)
    total = sum(known)
    alloc = cm.allocation_pct
    if (alloc is not None and alloc >= opt.min_allocation_pct) or (all_known and total < opt.headcount_threshold):
        yield ctx.passed(None, path)
    elif total >= opt.headcount_threshold and alloc is not None:
        yield ctx.failed(
            None,
            path,
            f"{ctx.called('Change manager', cm.person)} has {num(alloc)}% of their time for "
            f"{plural(total, 'impacted person', 'impacted people')} (at least {num(opt.min_allocation_pct)}% "
            f"expected from {plural(opt.headcount_threshold, 'person', 'people')}).",
        )
    else:
        absent: list[tuple[Any, ...]] = []
        if alloc is None:
            absent.append((*path, "allocation_pct"))
        absent += [("organisation", "divisions", i, "headcount") for i, d in ctx.impacted if d.headcount is None]
        yield ctx.unknown(None, path, absent)


class Gov004Options(Options):
    customer_facing_functions: list[Function] = heuristic(
        ["sales", "service", "marketing", "operations"], "Functions that count as customer-facing."
    )


@rule(
    "GOV004",
    "it-led-transformation",
    "warning",
    "IT owns what is an organisational transformation",
    seeds=("S5",),
    rationale="""S5 argues that IT is miscast to lead organisational transformation ("hire an
    architect and you end up with a house"), and that technology thrown at a problem solves nothing
    by itself. Rigby, Reichheld and Schefter (HBR 2002, "Avoid the Four Perils of CRM") call rolling
    out CRM before changing the organisation to match it the most dangerous peril; Rigby advised
    that the leader be as close as possible to the customer. In a 2001 Bain survey of more than 400
    executives, one in five said CRM had damaged customer relationships.""",
    remediation="Make a business leader accountable for outcomes, with IT as the delivery partner.",
    sources=(
        "Seed S5",
        "Rigby, Reichheld and Schefter, Avoid the Four Perils of CRM, HBR 2002",
        "Bain executive survey, 2001",
    ),
    options=Gov004Options,
    requires=(("governance",), ("governance", "business_owner")),
    question="""Who is accountable for the business outcomes of the rollout, and if that is IT,
    which customer-facing leader shares the ownership? Record it in `governance.business_owner`
    and `governance.co_owners`.""",
    owner=("sponsor", "programme_lead"),
)
def it_led_transformation(ctx: Context, opt: Gov004Options) -> Iterator[Result]:
    path = ("governance", "business_owner")
    g = present(ctx.plan.governance)
    if g.business_owner is None:
        yield ctx.failed(None, path, "No business owner is named.")
        return
    owner = ctx.people.get(g.business_owner)
    if owner is None or owner.function != "it":
        yield ctx.passed(None, path)
    elif g.co_owners is None:
        yield ctx.unknown(None, path, [("governance", "co_owners")])
    elif any((p := ctx.people.get(c)) is not None and p.function in opt.customer_facing_functions for c in g.co_owners):
        yield ctx.passed(None, path)
    else:
        yield ctx.failed(
            None, path, f"The rollout is owned by IT ({ctx.entity(owner.id)}) with no customer-facing co-owner."
        )


class Gov005Options(Options):
    min_lead_days: OptDays = heuristic(7, "Least days between the go/no-go decision and go-live.")
    review_lead_days: OptDays = sourced(
        28,
        "Least days between the readiness review and go-live (Microsoft's "
        "pre-go-live checklist is completed 4-6 weeks ahead).",
    )


@rule(
    "GOV005",
    "missing-go-no-go-gate",
    "warning",
    "No go/no-go gate with criteria and a fallback",
    rationale="""Microsoft's FastTrack go-live readiness workshops review customer go/no-go
    criteria, cut-over and the hypercare plan, and its Finance and Operations guidance has the
    pre-go-live checklist completed 4-6 weeks before go-live. Production-readiness reviews in
    software (Google SRE; Kubernetes, blocking since release 1.21) work as gates, not advice. At HP
    in 2004, sales staff warned that a backup was needed before an order-system migration; three
    planned weeks of disruption became six and cost about $400M in revenue.""",
    remediation="""Hold a readiness review at least four weeks before go-live and a go/no-go at
    least a week before it. Give the go/no-go written criteria (training completion, champion
    coverage, open severity-1 defects), a named decision-maker and a fallback plan.""",
    sources=(
        "Microsoft, FastTrack go-live workshops",
        "Microsoft, Finance and Operations: prepare for go-live",
        "Google, Site Reliability Engineering",
        "Kubernetes production readiness review",
        "Press reports on HP order-system migration, 2004",
    ),
    options=Gov005Options,
    requires=(("rollout", "go_no_go"),),
    question="""When is the go/no-go decision, who takes it, on which written criteria, and what
    is the fallback if the answer is no? Record it in `rollout.go_no_go` and
    `rollout.contingency`.""",
    owner=("programme_lead", "decision_maker", "sponsor"),
)
def missing_go_no_go_gate(ctx: Context, opt: Gov005Options) -> Iterator[Result]:
    path = ("rollout", "go_no_go")
    r = ctx.rollout
    gate = r.go_no_go
    primary: list[str] = []
    secondary: list[str] = []
    absent: list[tuple[Any, ...]] = []
    decide_by = plus(ctx.go_live, -opt.min_lead_days)
    review_by = plus(ctx.go_live, -opt.review_lead_days)
    if gate is None:
        primary.append("no go/no-go decision planned")
    else:
        if gate.date > decide_by:
            if gate.date < ctx.go_live:
                late = f"less than {plural(opt.min_lead_days, 'day')} before go-live"
            else:  # on or after go-live: "less than N days before" would be untrue
                late = (
                    f"{relative(days(ctx.go_live, gate.date), 'go-live')} "
                    f"(at least {plural(opt.min_lead_days, 'day')} before it expected)"
                )
            primary.append(f"go/no-go on {day(gate.date)}, {late}")
        if not has(gate, "criteria"):
            absent.append((*path, "criteria"))
        elif is_empty(gate.criteria):
            primary.append("no written criteria")
        if not has(gate, "decided_by"):
            absent.append((*path, "decided_by"))
        elif gate.decided_by is None:
            primary.append("no decision-maker")
    if not has(r, "contingency"):
        absent.append(("rollout", "contingency"))
    elif not has(present(r.contingency), "fallback_plan"):
        absent.append(("rollout", "contingency", "fallback_plan"))
    elif is_empty(present(r.contingency).fallback_plan):
        primary.append("no fallback plan")
    g = ctx.plan.governance
    if g is not None and has(g, "readiness_review"):
        review = g.readiness_review
        if review is None:
            secondary.append("no readiness review planned")
        elif review.date > review_by:
            offset = days(ctx.go_live, review.date)
            expected = opt.review_lead_days if offset < 0 else f"{plural(opt.review_lead_days, 'day')} before"
            secondary.insert(
                0,
                f"readiness review on {day(review.date)} is {relative(offset, 'go-live')} "
                f"(at least {expected} expected)",
            )
    if primary or secondary:
        # the earliest date a part of the gate was due: the review's when it is at fault
        due = min(([decide_by] if primary else []) + ([review_by] if secondary else []))
        yield ctx.failed(
            None, path, parts("The go-live gate is incomplete: ", primary + secondary), 0 if primary else -1, due=due
        )
    elif absent:
        yield ctx.unknown(None, path, absent, due=decide_by)
    else:
        yield ctx.passed(None, path)


PHOENIX = "Office of the Auditor General of Canada, Building and Implementing the Phoenix Pay System, Spring 2018"
QUEENSLAND = "Queensland Health Payroll System Commission of Inquiry, Report, 2013"
COVER_OREGON = "First Data Government Solutions, independent assessment of Cover Oregon, 2014"


class Gov006Options(Options):
    warning_recommendations: list[Recommendation] = heuristic(
        ["delay", "stop"], "Recommendations a plan must answer, or move its go-live for, before going ahead."
    )


@rule(
    "GOV006",
    "ignored-assurance",
    "error",
    "An independent review's warning goes unanswered, or never reaches the decision-maker",
    seeds=("S2",),
    rationale="""Official reviews of failed public rollouts keep finding the same thing: an
    independent warning existed, and the decision to go live was taken without it. The Auditor
    General of Canada (2018) found that Phoenix went live although an external review had reported
    serious problems months before, and that the deputy minister was not told of problems that were
    known. The Queensland Health Payroll System Commission of Inquiry (2013) found that the 2010
    go-live went ahead despite the concerns of the firm that tested the system. The independent
    assessment of Cover Oregon (First Data Government Solutions, 2014) found that the
    quality-assurance contractor's warnings did not lead to action. In S2, the onlookers inside the
    organisation saw early that the implementor was failing, and the leaders resisted their advice.
    A review protects a go-live only if the person who decides sees it whole, and if a warning to
    delay or stop gets an answer on record: a new date, or the reasons for going ahead anyway.""",
    remediation="""Put every independent review in front of the go/no-go decision-maker in full.
    When a review advises delay or stop, move the date or record the response: what changed, or
    why the plan goes ahead and who accepted the risk.""",
    sources=("Seed S2", PHOENIX, QUEENSLAND, COVER_OREGON),
    options=Gov006Options,
    requires=(("rollout", "go_no_go", "assurance"),),
    question="""Which independent reviews of readiness reported before the go/no-go decision, what
    did each recommend, did the decision-maker see it, and how did the project answer it? Record
    them in `rollout.go_no_go.assurance`.""",
    owner=("decision_maker", "sponsor", "programme_lead"),
)
def ignored_assurance(ctx: Context, opt: Gov006Options) -> Iterator[Result]:
    gate = ctx.rollout.go_no_go
    if gate is None:  # no gate: GOV005's concern, and no review of it to ignore
        return
    go_live = ctx.go_live
    for i, review in enumerate(gate.assurance or []):
        path = ("rollout", "go_no_go", "assurance", i)
        problems: list[str] = []
        absent: list[tuple[Any, ...]] = []
        if review.recommendation in opt.warning_recommendations:
            then = review.go_live_at_review
            if is_empty(review.response) and (then is None or go_live <= then):  # nor known to have moved the date
                missing = [(*path, f) for f in ("response", "go_live_at_review") if not has(review, f)]
                if missing:
                    absent += missing
                else:
                    stays = f"stays on {day(go_live)}" if go_live == then else f"moved earlier, to {day(go_live)}"
                    problems.append(
                        f"it recommended {review.recommendation}, yet go-live {stays} with no recorded response"
                    )
        if review.seen_by_decider is False:
            problems.append("the decision-maker did not see it")
        elif review.seen_by_decider is None:
            absent.append((*path, "seen_by_decider"))
        called = f"{ctx.called('Assurance review', review.id)} by {ctx.entity(review.by)} on {day(review.date)}"
        if problems:
            yield ctx.failed(review.id, path, parts(f"{called}: ", problems), due=gate.date)
        elif absent:
            yield ctx.unknown(review.id, path, absent, due=gate.date)
        else:
            yield ctx.passed(review.id, path)


class Gov007Options(Options):
    freeze_days: OptDays = heuristic(
        30, "Days before the go/no-go decision after which a criterion may change only to become stricter."
    )


@rule(
    "GOV007",
    "gate-bent-to-pass",
    "warning",
    "Go/no-go criteria loosened late, or without approval from outside the project",
    rationale="""Exit criteria protect a go-live only while they stay as agreed. The Queensland
    Health Payroll System Commission of Inquiry (2013) found that defects were reclassified to
    lower severities so that the criteria for leaving testing could be met, and the payroll system
    went live in 2010 with the failures that followed. GOV005 checks that written criteria exist;
    this rule checks what happened to them. A criterion made easier to meet in the last weeks, or
    approved only by the people whose work must pass the gate, turns the gate into a formality.""",
    remediation="""Freeze the go/no-go criteria well before the decision. If one must be relaxed,
    have someone outside the project (the sponsor, the decision-maker or a steering committee
    member not on the team) approve it on record, with the reason, and tell the reviewers.""",
    sources=(QUEENSLAND, "Microsoft, FastTrack go-live workshops"),
    options=Gov007Options,
    requires=(("rollout", "go_no_go", "criteria_changes"),),
    question="""Were any go/no-go criteria changed after they were set: when, did the change make
    them easier to meet, and who approved it? Record it in `rollout.go_no_go.criteria_changes`.""",
    owner=("decision_maker", "sponsor", "programme_lead"),
)
def gate_bent_to_pass(ctx: Context, opt: Gov007Options) -> Iterator[Result]:
    gate = ctx.rollout.go_no_go
    if gate is None:  # no gate: GOV005's concern, and no criteria to bend
        return
    frozen = plus(gate.date, -opt.freeze_days)
    insiders = _project_people(ctx)
    problems: list[tuple[tuple[Any, ...], str]] = []
    absent: list[tuple[Any, ...]] = []
    failing_due: list[dt.date] = []  # a late change had to wait for the freeze, approval for the decision
    open_due: list[dt.date] = []
    for j, change in enumerate(present(gate.criteria_changes)):
        path = ("rollout", "go_no_go", "criteria_changes", j)
        late = change.date > frozen
        approver = change.approved_by
        # known independent (True), known not (False: nobody, or someone on the project), or unsaid (None)
        independent = approver is not None and approver not in insiders if has(change, "approved_by") else None
        if change.loosens is False or (not late and independent is True):
            continue  # a stricter criterion, or an early change approved from outside the project
        due = frozen if late else gate.date
        if change.loosens is None:
            # a late change fails if it loosens; an early one, if it loosens and nobody outside approved it
            absent += [(*path, "loosens")] + ([(*path, "approved_by")] if independent is None and not late else [])
            open_due.append(due)
            continue
        said = []
        if late:
            said.append(
                f"{relative(days(gate.date, change.date), 'the decision')} (the criteria are frozen from {day(frozen)})"
            )
        if independent is False:
            inside = f"approved only from within the project, by {ctx.entity(approver)}" if approver else ""
            said.append(inside or "with no approver")
        if said:
            problems.append((path, f"'{change.criterion}' loosened on {day(change.date)}, {', '.join(said)}"))
            failing_due.append(due)
        else:  # an early loosening whose approver is not said
            absent.append((*path, "approved_by"))
            open_due.append(due)
    whole = ("rollout", "go_no_go", "criteria_changes")
    if problems:
        message = parts("The go/no-go gate was bent to pass: ", [p for _, p in problems])
        yield ctx.failed(None, problems[0][0], message, due=min(failing_due))
    elif absent:
        yield ctx.unknown(None, whole, absent, due=min(open_due))
    else:
        yield ctx.passed(None, whole)


def _project_people(ctx: Context) -> set[str]:
    """Who is on the project, and so cannot approve relaxing its own gate: the project team, the
    programme leads, the change manager, and who answers for the delivery (the delivery team's or
    an implementor's owner)."""
    p = ctx.plan
    people = {m.person for m in (p.project_team.members if p.project_team else [])}
    people |= {t.person for t in (p.governance.programme_lead_history if p.governance else None) or []}
    if p.governance is not None and p.governance.change_manager is not None:
        people.add(p.governance.change_manager.person)
    owners: list[Any] = [p.delivery_team] if p.delivery_team is not None else []
    owners += [v for v in p.vendors or [] if v.role == "implementor"]
    people |= {o.owner for o in owners if o.owner is not None}
    return people
