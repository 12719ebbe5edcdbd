"""`readiness lsp` end to end: a real LSP client (pytest-lsp, on pygls) starts the server as an
editor would and talks to it over a pipe.

Most tests share one server, initialised with the capabilities Visual Studio Code sends; one
starts its own with Neovim's (UTF-8 positions, no versioned document edits) and checks that
shutdown and exit end it cleanly. Every document is opened under its own URI, so the tests do not
depend on each other's documents. The server runs with --as-of 2026-02-02, the date the
examples are written for, so that northwind's waiver is in force whatever today is.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .conftest import MINIMAL, NORTHWIND, ROOT, budget, run_cli

AS_OF = "2026-02-02"
SERVER = [sys.executable, "-m", "readiness", "lsp", "--as-of", AS_OF]
TEXT = NORTHWIND.read_text(encoding="utf-8")
LINES = TEXT.split("\n")

# northwind's findings under the default rubric on 2026-02-02, and the nodes they are about
EXPECTED = {
    # a division, a flow mapping over two lines
    ("INV002", types.DiagnosticSeverity.Warning, ((44, 6), (45, 71))),
    # rollout.go_no_go, a block mapping: from its first key to the end of its last value
    ("GOV005", types.DiagnosticSeverity.Information, ((29, 4), (36, 24))),
    # a training session, a flow mapping over two lines
    ("TRAIN002", types.DiagnosticSeverity.Warning, ((145, 6), (146, 93))),
    # a legacy report, waived: a hint
    ("LEG001", types.DiagnosticSeverity.Hint, ((161, 6), (162, 60))),
}


def uri(name: str) -> str:
    """A document of its own for each test: the text is sent, so no file needs to exist."""
    return (ROOT / "examples" / name).as_uri()


def span(d: types.Diagnostic) -> tuple[tuple[int, int], tuple[int, int]]:
    r = d.range
    return (r.start.line, r.start.character), (r.end.line, r.end.character)


def position(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def open_doc(client: LanguageClient, doc: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=doc, language_id="yaml", version=version, text=text)
        )
    )


def replace_all(client: LanguageClient, doc: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def published(client: LanguageClient, doc: str, seconds: float = 20) -> list[types.Diagnostic]:
    """The next diagnostics published for ``doc`` (taken, so that the next call waits for new ones)."""
    deadline = time.monotonic() + budget(seconds)
    while doc not in client.diagnostics:
        assert time.monotonic() < deadline, f"no diagnostics for {doc}"
        await asyncio.sleep(0.005)
    return list(client.diagnostics.pop(doc))


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """A client applying text edits (UTF-16 positions; the texts here are ASCII)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = offsets[edit.range.start.line] + edit.range.start.character
        end = offsets[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
    return text


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=ROOT.as_uri(),
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


on_shared_server = pytest.mark.asyncio(loop_scope="module")


@on_shared_server
async def test_northwind_findings_cover_their_nodes(client: LanguageClient) -> None:
    doc = uri("northwind.yaml")
    open_doc(client, doc, TEXT)
    diagnostics = await published(client, doc)
    assert {(d.code, d.severity, span(d)) for d in diagnostics} == EXPECTED
    by_rule = {d.code: d for d in diagnostics}
    for d in diagnostics:
        assert d.source == "readiness"
        assert d.code_description is not None
        assert d.code_description.href == f"https://readiness-cli.github.io/readiness/rules/{d.code}"
    assert "waived by waivers[0]: owner p-cfo, expires 2026-12-31" in by_rule["LEG001"].message
    assert (
        by_rule["INV002"].message == "customer-care (Customer Care): 85 people share 4 champions (21.3 each, limit 20)."
    )
    # the ranges hold the nodes the findings name
    (start, end) = span(by_rule["TRAIN002"])
    assert LINES[start[0]][start[1] :].startswith("{id: t-wholesale-reps,")
    assert LINES[end[0]][: end[1]].endswith("hours: 8}")


@on_shared_server
async def test_a_broken_reference_is_an_error_on_its_value_until_fixed(client: LanguageClient) -> None:
    doc = uri("northwind-reference.yaml")
    open_doc(client, doc, TEXT)
    await published(client, doc)
    assert LINES[30] == "    decided_by: p-ceo"
    replace_all(client, doc, TEXT.replace("decided_by: p-ceo", "decided_by: p-nobody"), 2)
    (error,) = await published(client, doc)
    assert error.severity == types.DiagnosticSeverity.Error
    assert error.message.startswith("rollout.go_no_go.decided_by: unknown person 'p-nobody' (known: p-ceo, ")
    assert span(error) == ((30, 16), (30, 24))
    # fixed again: the findings come back
    replace_all(client, doc, TEXT, 3)
    assert {(d.code, d.severity, span(d)) for d in await published(client, doc)} == EXPECTED


@on_shared_server
async def test_lines_are_counted_as_the_protocol_counts_them(client: LanguageClient) -> None:
    # libyaml and pygls also break lines at LS (U+2028), the protocol does not
    doc = uri("northwind-separator.yaml")
    text = TEXT.replace('name: Northwind CRM ("Compass")', 'name: "Northwind\u2028CRM"', 1)
    open_doc(client, doc, text)
    assert {(d.code, span(d)) for d in await published(client, doc)} == {(c, r) for c, _, r in EXPECTED}
    replace_all(client, doc, text.replace("decided_by: p-ceo", "decided_by: p-"), 2)
    (error,) = await published(client, doc)
    assert span(error) == ((30, 16), (30, 18))
    found = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=doc), position=position(30, 18))
    )
    assert isinstance(found, types.CompletionList) and found.items[0].label == "p-ceo"


@on_shared_server
async def test_hover_shows_the_rule_on_a_waiver_and_on_a_flagged_node(client: LanguageClient) -> None:
    doc = uri("northwind-hover.yaml")
    open_doc(client, doc, TEXT)
    await published(client, doc)
    assert LINES[222] == "  - rule: LEG001"
    on_waiver = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=doc), position=position(222, 12))
    )
    assert on_waiver is not None and isinstance(on_waiver.contents, types.MarkupContent)
    assert on_waiver.contents.kind == types.MarkupKind.Markdown
    text = on_waiver.contents.value
    assert text.startswith("**LEG001** legacy-report-without-retirement")
    assert "**How to fix it.**" in text
    assert on_waiver.range == types.Range(start=position(222, 10), end=position(222, 16))
    # on the session TRAIN002 flags: its title, rationale and remediation
    on_node = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=doc), position=position(146, 20))
    )
    assert on_node is not None and isinstance(on_node.contents, types.MarkupContent)
    assert on_node.contents.value.startswith("**TRAIN002**")
    assert on_node.range == types.Range(start=position(145, 6), end=position(146, 93))
    # elsewhere: nothing
    nothing = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=doc), position=position(4, 4))
    )
    assert nothing is None


@on_shared_server
async def test_the_waive_action_writes_a_waiver_that_validates_and_applies(
    client: LanguageClient, tmp_path: Path
) -> None:
    doc = uri("northwind-waive.yaml")
    open_doc(client, doc, TEXT)
    diagnostics = await published(client, doc)
    inv002 = next(d for d in diagnostics if d.code == "INV002")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=doc),
            range=types.Range(start=position(44, 10), end=position(44, 10)),
            context=types.CodeActionContext(diagnostics=[inv002]),
        )
    )
    assert actions is not None
    titles = [a.title for a in actions]
    assert titles == ["Waive INV002 for customer-care", "Explain INV002"]
    waive = actions[0]
    assert isinstance(waive, types.CodeAction) and waive.kind == types.CodeActionKind.QuickFix
    assert waive.edit is not None and waive.edit.document_changes is not None
    (change,) = waive.edit.document_changes
    assert isinstance(change, types.TextDocumentEdit)
    assert change.text_document.version == 1
    edited = apply(TEXT, list(change.edits))  # type: ignore[arg-type]
    assert edited.endswith(
        "    expires: 2026-12-31\n"
        "  - rule: INV002\n"
        "    target: customer-care\n"
        "    reason: TODO say why this risk is accepted until then\n"
        "    owner: TODO name who answers for this risk\n"
        "    expires: 2026-03-04\n"
    )
    # the editor applies it: the finding becomes a waived hint, and nothing else changes
    replace_all(client, doc, edited, 2)
    after = {d.code: d for d in await published(client, doc)}
    assert set(after) == {"INV002", "GOV005", "TRAIN002", "LEG001"}
    assert after["INV002"].severity == types.DiagnosticSeverity.Hint
    assert (
        "waived by waivers[1]: owner TODO name who answers for this risk, expires 2026-03-04" in after["INV002"].message
    )
    # and the command line agrees
    plan = tmp_path / "plan.yaml"
    plan.write_text(edited, encoding="utf-8")
    result = run_cli("check", str(plan), "--as-of", AS_OF, "--format", "json")
    assert result.code == 0, result.stderr
    finding = next(f for f in json.loads(result.stdout)["plans"][0]["findings"] if f["rule"] == "INV002")
    assert finding["status"] == "waived"
    # explain: the command's answer, and a message to show
    explain = actions[1]
    assert isinstance(explain, types.Command) and explain.command == "readiness.explain"
    text = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=explain.command, arguments=explain.arguments)
    )
    assert isinstance(text, str) and text.startswith("INV002 thin-champion-coverage:")
    assert any(m.message == text for m in client.messages)


@on_shared_server
async def test_completion_offers_the_ids_a_field_refers_to(client: LanguageClient) -> None:
    doc = uri("northwind-complete.yaml")
    open_doc(client, doc, TEXT)
    await published(client, doc)

    async def labels(line: int, character: int) -> list[str]:
        found = await client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=doc), position=position(line, character)
            )
        )
        if found is None:
            return []
        items = found.items if isinstance(found, types.CompletionList) else found
        return [item.label for item in items]

    people = ["p-ceo", "p-coo", "p-cfo", "p-vp-retail", "p-vp-wholesale", "p-dir-care", "p-pm", "p-cm"]
    # decided_by (a person), the cursor after "p-"
    assert (await labels(30, 18))[:8] == people
    # divisions: [retail-sales] in a flow mapping continued on the next line
    assert LINES[18] == "       divisions: [retail-sales]}"
    assert await labels(18, 19) == ["retail-sales", "wholesale", "customer-care"]
    assert await labels(18, 26) == ["retail-sales"]  # what is typed narrows them: "retail-"
    # an assurance review's reviewer: a vendor, a delivery team or a person, each kind's ids in turn
    assert LINES[34].startswith("      - {id: ar-readiness, by: v-clearview,")
    reviewers = await labels(34, LINES[34].index("by: ") + 4)
    assert reviewers[:3] == ["v-brightpath", "v-compass", "v-clearview"] and reviewers[3:11] == people
    # a waiver's target: any id; its rule: the rules
    assert "rpt-commission-statement" in await labels(223, 30)
    assert "LEG001" in await labels(222, 14)
    # a name is no reference
    assert await labels(4, 12) == []
    # a key typed just now, with nothing after it yet
    reinforcement = TEXT.replace(
        '    - {role: role-care-agent, mechanism: "Case quality score from the CRM used in monthly one-to-ones"}\n',
        '    - {role: role-care-agent, mechanism: "Case quality score from the CRM used in monthly one-to-ones"}\n'
        "    - role: \n",
    )
    replace_all(client, doc, reinforcement, 2)
    line = reinforcement.split("\n").index("    - role: ")
    assert await labels(line, 12) == ["role-store-rep", "role-account-manager", "role-care-agent"]


@on_shared_server
async def test_a_hostile_plan_gets_one_diagnostic_and_the_server_keeps_answering(client: LanguageClient) -> None:
    hover_doc = uri("northwind-hostile.yaml")
    open_doc(client, hover_doc, TEXT)
    await published(client, hover_doc)
    bomb = MINIMAL + (
        "x-anchor: &p {id: p-a, name: Ann, level: frontline, function: sales}\n"
        "people: &l1 [" + ", ".join(["*p"] * 1000) + "]\n"
        "x-more: &l2 [" + ", ".join(["*l1"] * 1000) + "]\n"
    )
    deep = MINIMAL + "x-deep: " + "[" * 30000 + "]" * 30000 + "\n"
    for name, text, expected in (
        ("bomb.yaml", bomb, "nodes after alias expansion, over the input limit"),
        ("deep.yaml", deep, "nesting deeper than 64 levels"),
    ):
        doc = uri(name)
        open_doc(client, doc, text)
        started = time.monotonic()
        answer = await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=hover_doc), position=position(146, 20))
        )
        assert answer is not None
        assert time.monotonic() - started < budget(2.0)
        (only,) = await published(client, doc)
        assert only.severity == types.DiagnosticSeverity.Error
        assert expected in only.message


@on_shared_server
async def test_a_large_plan_is_checked_without_stalling_hovers(client: LanguageClient) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import plan  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "bench"))
    hover_doc = uri("northwind-large.yaml")
    open_doc(client, hover_doc, TEXT)
    await published(client, hover_doc)
    doc = uri("people-10000.yaml")
    open_doc(client, doc, plan(10000))
    started = time.monotonic()
    answer = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=hover_doc), position=position(222, 12))
    )
    hovered = time.monotonic() - started
    assert answer is not None and isinstance(answer.contents, types.MarkupContent)
    assert answer.contents.value.startswith("**LEG001**")
    assert doc not in client.diagnostics, "the hover waited for the large plan's check"
    assert hovered < budget(2.0)
    diagnostics = await published(client, doc, seconds=30)
    assert all(d.severity != types.DiagnosticSeverity.Error for d in diagnostics)


@on_shared_server
async def test_yaml_that_is_not_a_plan_is_left_alone(client: LanguageClient) -> None:
    other = uri("docker-compose.yaml")
    open_doc(client, other, "services:\n  web: {image: nginx}\n")
    doc = uri("northwind-after.yaml")
    open_doc(client, doc, TEXT)  # checked after the other one would have been
    await published(client, doc)
    assert other not in client.diagnostics


# A server of its own: Neovim's capabilities, then shutdown and exit --------------------------------


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def neovim(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities("neovim")))
    yield


@pytest.mark.asyncio
async def test_neovim_gets_utf8_positions_and_plain_edits_then_a_clean_exit(neovim: LanguageClient) -> None:
    client = neovim
    doc = uri("northwind-neovim.yaml")
    text = TEXT.replace("name: Customer Care, headcount: 85,", "name: Kundenbetreuung Süd, headcount: 85,")
    open_doc(client, doc, text)
    diagnostics = {d.code: d for d in await published(client, doc)}
    line = text.split("\n")[45]
    assert span(diagnostics["INV002"]) == ((44, 6), (45, len(line.encode("utf-8"))))
    assert diagnostics["INV002"].code_description is None  # Neovim does not take links
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=doc),
            range=types.Range(start=position(44, 10), end=position(44, 10)),
            context=types.CodeActionContext(diagnostics=[diagnostics["INV002"]]),
        )
    )
    assert actions is not None
    waive = actions[0]
    assert isinstance(waive, types.CodeAction) and waive.edit is not None
    assert waive.edit.document_changes is None and waive.edit.changes is not None
    await client.shutdown_session()
    server = client._server
    assert server is not None and server.returncode == 0


def test_without_pygls_the_command_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    real = metadata.version

    def version(name: str) -> str:
        if name == "pygls":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(metadata, "version", version)
    result = run_cli("lsp")
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "readiness: error: the language server needs pygls, which is not installed: pip install 'readiness[lsp]'\n"
    )


def test_the_date_is_given_as_for_check() -> None:
    result = run_cli("lsp", "--as-of", "2026-02-30")
    assert result.code == 2
    assert result.stderr.startswith("readiness: error: --as-of")
    assert dt.date.fromisoformat(AS_OF)
