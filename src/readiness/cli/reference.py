"""The commands that describe rather than judge: ``schema``, ``config``, ``init``, ``rules``,
``explain``, ``rubrics``, and ``lsp``, the language server."""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated

import typer

from readiness.cli import console
from readiness.cli.app import app, written
from readiness.cli.args import (
    AsOfOption,
    ConfigOption,
    IsolatedOption,
    complete_rules,
    destination,
    err,
    loaded_rubric,
    parse_date,
    project,
    usage,
)
from readiness.errors import ReadinessError, UsageError
from readiness.limits import MAX_BYTES
from readiness.render import FORMAT_ALIASES
from readiness.text import one_line


@app.command()
def schema(
    rubric: Annotated[bool, typer.Option("--rubric", help="The schema of rubric files instead of plans.")] = False,
    report: Annotated[
        bool, typer.Option("--report", help="The schema of the --format json report instead of plans.")
    ] = False,
) -> None:
    """Print the JSON Schema of plan format v1 (or of rubric files, or of the JSON report), for
    editors and validators.

    The same schemas are published as schema/plan-v1.json, schema/rubric-v1.json and
    schema/report-v1.json."""
    import json

    from readiness.output import write_stdout

    if rubric and report:
        usage("--rubric and --report name different schemas: give one")
    if rubric:
        from readiness.rubric import rubric_schema as made
    elif report:
        from readiness.reference.report import report_schema as made
    else:
        from readiness.model import plan_schema as made
    write_stdout(json.dumps(made(), indent=2, ensure_ascii=False) + "\n", machine=True)


@app.command("config")
def show_config(
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    fmt: Annotated[str, typer.Option("--format", metavar="FMT", help="rich or json.")] = "rich",
) -> None:
    """Print the settings in force in the current directory and where each came from: a line of the
    project configuration ([tool.readiness] in the nearest pyproject.toml, or readiness.toml, found
    by walking up from here; --config names one), or the default. Flags given to check, diff or
    history override them."""
    import json

    from readiness.config import plain, shown
    from readiness.output import write_stdout

    fmt = FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in ("rich", "json"):
        usage(f"--format: unknown format '{fmt}' (available: rich, json)")
    settings = project(config, isolated)
    if fmt == "json":
        document = {
            "file": settings.file,
            "settings": {key: {"value": plain(value), "source": source} for key, value, source in settings.rows()},
        }
        write_stdout(json.dumps(document, indent=2, ensure_ascii=False) + "\n", machine=True)
        return
    rows = [(key, one_line(shown(key, value)), one_line(source)) for key, value, source in settings.rows()]
    width = max(len(value) for _, value, _ in rows)
    where = "none found, so every setting is its default" if settings.file is None else one_line(settings.file)
    lines = [f"configuration: {'ignored (--isolated)' if isolated else where}", ""]
    lines += [f"{key:<15} {value:<{width}}  {source}" for key, value, source in rows]
    write_stdout("\n".join(line.rstrip() for line in lines) + "\n")


@app.command()
def init(
    path: Annotated[str, typer.Argument(metavar="PATH", help="Where to write the starter plan.")] = "plan.yaml",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    kickoff: Annotated[
        str | None,
        typer.Option(
            "--kickoff",
            metavar="DATE",
            show_default="next Monday",
            help="The starter plan's kickoff, YYYY-MM-DD; its other dates keep their distance to it.",
        ),
    ] = None,
) -> None:
    """Write a commented starter plan, itself a valid plan, with the editor schema modeline. Its
    dates start from the coming Monday (or --kickoff), so go-live lies ahead as in a real plan."""
    from readiness.starter import next_monday, starter_plan

    if os.path.lexists(path) and not force:
        usage(f"{path} already exists; use --force to overwrite it")
    start = parse_date(kickoff, "--kickoff") if kickoff else next_monday(dt.date.today())
    target = destination(path)
    try:
        text = starter_plan(start)
    except UsageError as exc:
        usage(str(exc))
    written(target, text, machine=True)
    err(f"wrote {one_line(path)}; check it with: readiness check {one_line(path)}")


@app.command("rules")
def list_rules(
    fmt: Annotated[str, typer.Option("--format", metavar="FMT", help="rich (alias table), json or markdown.")] = "rich",
    rubric: Annotated[
        str | None,
        typer.Option(metavar="RUBRIC", help="Also list this rubric's custom rules, with effective severities."),
    ] = None,
) -> None:
    """List every rule: ID, slug, category, default severity and title."""
    from readiness.output import write_stdout
    from readiness.reference import rules

    fmt = FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in ("rich", "json", "markdown"):
        usage(f"--format: unknown format '{fmt}' (available: rich, table, json, markdown)")
    chosen = loaded_rubric(rubric) if rubric else None
    text = rules.render_list(fmt, color=console.color(), rubric=chosen, width=console.width())
    write_stdout(text, machine=fmt != "rich")


@app.command()
def explain(
    rule: Annotated[
        str,
        typer.Argument(
            metavar="RULE",
            help="A rule ID (LEAD001) or slug (leader-without-commitment).",
            autocompletion=complete_rules,
        ),
    ],
    rubric: Annotated[
        str | None,
        typer.Option(
            metavar="RUBRIC", help="Explain under this rubric: its custom rules, effective severity and options."
        ),
    ] = None,
) -> None:
    """Explain one rule: what it flags, why, sources, remediation, options, and examples."""
    from readiness.output import write_stdout
    from readiness.reference import rules

    try:
        write_stdout(rules.render_explain(rule, loaded_rubric(rubric) if rubric else None, console.width()))
    except UsageError as exc:
        usage(str(exc))


@app.command()
def rubrics(
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="RUBRIC", show_default=False, help="Rubric files to validate instead."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, metavar="N", help="Largest rubric file accepted, in bytes.")
    ] = MAX_BYTES,
) -> None:
    """List the built-in rubrics and what each changes; with files, validate those rubric files
    (exit 2 when one is invalid)."""
    from readiness.output import write_stdout
    from readiness.reference import rules
    from readiness.rubric import load_rubric

    if not files:
        write_stdout(rules.render_rubrics())
        return
    code = 0
    for path in files:
        try:
            rubric = load_rubric(path if path.endswith((".yaml", ".yml")) or "/" in path else f"./{path}", max_bytes)
        except ReadinessError as exc:
            for line in exc.lines():
                err(line)
            code = 2
            continue
        write_stdout(rules.rubric_line(path, rubric))
    raise typer.Exit(code)


@app.command()
def lsp(
    as_of: AsOfOption = None,
    stdio: Annotated[
        bool,
        typer.Option("--stdio", help="Talk over standard input and output (the only transport; editors may pass it)."),
    ] = False,
) -> None:
    """Start the language server: findings, hovers, waivers and completion in an editor
    (docs/editors.md). Needs the lsp extra: pip install 'readiness[lsp]'."""
    from readiness.lsp import missing, serve

    problem = missing()
    if problem is not None:
        usage(problem)
    raise typer.Exit(serve(parse_date(as_of) if as_of is not None else None))
