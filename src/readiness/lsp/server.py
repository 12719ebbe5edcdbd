"""The Language Server Protocol side: pygls handlers that answer the editor from reports.

Each open plan is checked when it is opened, changed and saved. Checks are *latest-only*: while
one runs, further changes only mark the document, and when the check ends the newest text is
checked next, so a burst of keystrokes costs one check, never a queue of them. A check starts
without a fixed delay: a plan of ordinary size is checked in a few milliseconds, faster than
any typing. Diagnostics are published only for the newest version of a document.

Hovers, code actions and completions are answered at once from the document's last report (a
completion waits a moment for the report of the text being typed), so they stay fast while a
large plan is being checked in the checking process (:mod:`readiness.lsp.worker`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from readiness import __version__
from readiness.lsp import settings
from readiness.lsp.report import ANY, RULE, Diagnostic, Range, Report, RuleText, containing, slot_at
from readiness.lsp.worker import Checker, CheckFailed
from readiness.text import inert

logger = logging.getLogger(__name__)

EXPLAIN = "readiness.explain"
COMPLETION_WAIT = 0.3  # seconds a completion waits for the report of the text being typed
MAX_COMPLETIONS = 500  # ids offered at once; a plan of 10,000 people narrows them as the id is typed

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_ID_PREFIX = re.compile(r"[A-Za-z0-9_.\-]*\Z")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


class PlanServer(LanguageServer):
    """The readiness language server: the open plans, their last reports and the checker."""

    def __init__(self) -> None:
        # Whole texts, not edits: pygls applies an edit by lines it splits at more characters than
        # the protocol does (form feeds, NEL, LS, PS...), and would garble a plan holding one.
        super().__init__("readiness", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.checker = Checker()
        self.reports: dict[str, Report] = {}  # the last report of each open plan
        self.parsed: dict[str, Report] = {}  # the last report whose text could be read as YAML
        self.dirty: dict[str, None] = {}  # plans waiting for a check, oldest first
        self.task: asyncio.Task[None] | None = None
        self.shut_down = False

    # checking -----------------------------------------------------------------------------------

    def touch(self, uri: str) -> None:
        """A plan changed: check its newest text as soon as the checker is free."""
        doc = self.workspace.get_text_document(uri)
        if not settings.is_plan(_path(uri), doc.source):
            if self.reports.pop(uri, None) is not None:
                self.publish(uri, None, [])  # no longer a plan: its diagnostics go
            self.parsed.pop(uri, None)
            return
        self.dirty[uri] = None
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._drain())

    def forget(self, uri: str) -> None:
        self.dirty.pop(uri, None)
        self.parsed.pop(uri, None)
        if self.reports.pop(uri, None) is not None:
            self.publish(uri, None, [])

    async def _drain(self) -> None:
        while self.dirty and not self.shut_down:
            uri = next(iter(self.dirty))
            del self.dirty[uri]
            doc = self.workspace.text_documents.get(uri)
            if doc is None:
                continue
            encoding = str(self.workspace.position_encoding or "utf-16")
            try:
                report = await self.checker.analyse(_path(uri), doc.source, doc.version, encoding)
                if uri not in self.workspace.text_documents or self.shut_down:
                    continue  # closed while it was checked
                self.reports[uri] = report
                if report.parsed:
                    self.parsed[uri] = report
                if uri in self.dirty:
                    continue  # a newer version waits: its diagnostics will replace these
                self.publish(uri, report.version, report.diagnostics)
            except Exception:  # one document's trouble must not stop the checks of the others
                logger.exception("checking %s failed", uri)

    def publish(self, uri: str, version: int | None, diagnostics: list[Diagnostic]) -> None:
        caps = self.client_capabilities.text_document
        publish = caps.publish_diagnostics if caps is not None else None
        links = bool(publish and publish.code_description_support)
        versioned = bool(publish and publish.version_support)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri,
                diagnostics=[_diagnostic(d, links) for d in diagnostics],
                version=version if versioned else None,
            )
        )

    async def current(self, uri: str, wait: float) -> Report | None:
        """The report of the document's current text, waiting up to ``wait`` seconds for it;
        else the last one."""
        doc = self.workspace.text_documents.get(uri)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while doc is not None and loop.time() < deadline:
            report = self.reports.get(uri)
            if report is not None and report.version == doc.version:
                return report
            if uri not in self.dirty and (self.task is None or self.task.done()):
                break  # nothing pending: the document is not a plan
            await asyncio.sleep(0.005)
        return self.reports.get(uri)

    # answers ------------------------------------------------------------------------------------

    def hover(self, uri: str, position: types.Position) -> types.Hover | None:
        report = self.reports.get(uri)
        if report is None:
            return None
        at = (position.line, position.character)
        named = containing([(rng, written) for rng, written in report.waiver_rules], *at)
        if named:
            rule_id = report.names.get(named[0])
            text = report.rules.get(rule_id or "")
            if text is None:
                return None
            rng = next(r for r, w in report.waiver_rules if w == named[0] and r[0] <= at <= r[1])
            return self._hover([_rule_markdown(text)], rng)
        found: list[Diagnostic] = containing([(d.range, d) for d in report.diagnostics if d.rule], *at)
        if not found:
            return None
        innermost = found[0].range
        parts: list[str] = []
        seen: set[str] = set()
        for d in found:
            if d.rule is None or d.rule in seen or d.range != innermost:
                continue
            seen.add(d.rule)
            text = report.rules.get(d.rule)
            if text is not None:
                parts.append(_rule_markdown(text, d))
        return self._hover(parts, innermost) if parts else None

    def _hover(self, parts: list[str], rng: Range) -> types.Hover:
        caps = self.client_capabilities.text_document
        formats = caps.hover.content_format if caps is not None and caps.hover is not None else None
        markdown = formats is None or types.MarkupKind.Markdown in formats
        value = "\n\n---\n\n".join(parts)
        if not markdown:
            value = value.replace("**", "").replace("\\", "")
        kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
        return types.Hover(contents=types.MarkupContent(kind=kind, value=value), range=_range(rng))

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction | types.Command] | None:
        uri = params.text_document.uri
        report = self.reports.get(uri)
        doc = self.workspace.text_documents.get(uri)
        if report is None or doc is None or report.version != doc.version:
            return None  # positions from another version of the text could land anywhere
        caps = self.client_capabilities.text_document
        literal = caps is not None and caps.code_action is not None and caps.code_action.code_action_literal_support
        only = params.context.only
        want_fix = not only or any(types.CodeActionKind.QuickFix.value.startswith(k) for k in only)
        asked = params.range
        lo, hi = (asked.start.line, asked.start.character), (asked.end.line, asked.end.character)
        actions: list[types.CodeAction | types.Command] = []
        waived: set[tuple[str, str]] = set()
        explained: set[str] = set()
        for d in report.diagnostics:
            if d.rule is None or not (d.range[0] <= hi and lo <= d.range[1]):
                continue
            fixable = literal and want_fix and d.waiver is not None and report.stub is not None
            if fixable and (d.rule, d.waiver or "") not in waived:
                waived.add((d.rule, d.waiver or ""))
                actions.append(self._waive(uri, report, d))
            if d.rule not in explained:
                # a plain command, which every client lists (a code action that only runs a
                # command is read back as a command by some clients anyway)
                explained.add(d.rule)
                actions.append(types.Command(title=f"Explain {d.rule}", command=EXPLAIN, arguments=[d.rule, uri]))
        return actions or None

    def _waive(self, uri: str, report: Report, d: Diagnostic) -> types.CodeAction:
        assert report.stub is not None and d.rule is not None
        target = d.waiver or None
        if target is not None:
            title = f"Waive {d.rule} for {target}"
        elif d.target is None:
            title = f"Waive {d.rule} for the whole plan"
        else:
            title = f"Waive {d.rule} everywhere in the plan"
        edit = types.TextEdit(range=_range(report.stub.at), new_text=report.stub.text(d.rule, target))
        caps = self.client_capabilities.workspace
        changes = caps is not None and caps.workspace_edit is not None and caps.workspace_edit.document_changes
        workspace_edit = (
            types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=report.version),
                        edits=[edit],
                    )
                ]
            )
            if changes
            else types.WorkspaceEdit(changes={uri: [edit]})
        )
        return types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[_diagnostic(d, False)],
            edit=workspace_edit,
        )

    async def completion(self, params: types.CompletionParams) -> types.CompletionList | None:
        uri = params.text_document.uri
        await self.current(uri, COMPLETION_WAIT)
        report = self.parsed.get(uri)
        doc = self.workspace.text_documents.get(uri)
        if report is None or doc is None:
            return None
        position = params.position
        slot = slot_at(report.slots, position.line, position.character)
        if slot is None:
            return None
        lines = _LINE.findall(doc.source)  # as the protocol counts lines (pygls also breaks at LS, PS...)
        server = self.workspace.position_codec.position_from_client_units(lines, position)
        line = lines[server.line] if server.line < len(lines) else ""
        before = line[: server.character]
        match = _ID_PREFIX.search(before)
        prefix = match.group() if match else ""
        start = types.Position(line=position.line, character=position.character - len(prefix))
        replace = types.Range(start=start, end=position)
        space = " " if before[: len(before) - len(prefix)].endswith(":") else ""
        kind = slot[1]
        if kind == RULE:
            choices = [(rule_id, title) for rule_id, title in report.titles.items()]
        elif kind == ANY:
            choices = [
                (value, f"{each}: {name}" if name else each) for each, ids in report.ids.items() for value, name in ids
            ]
        else:  # one kind, or several joined by "|" (readiness.types.kinds; not imported here, to start lean)
            choices = [
                (value, f"{each}: {name}" if name else each)
                for each in kind.split("|")
                for value, name in report.ids.get(each, [])
            ]
        typed = prefix.lower()
        matching = [(value, detail) for value, detail in dict(choices).items() if typed in value.lower()]
        items = [
            types.CompletionItem(
                label=value,
                kind=types.CompletionItemKind.Reference if kind != RULE else types.CompletionItemKind.Value,
                detail=inert(detail),
                filter_text=value,
                sort_text=f"{n:06d}",
                text_edit=types.TextEdit(range=replace, new_text=space + value),
            )
            for n, (value, detail) in enumerate(matching[:MAX_COMPLETIONS])
        ]
        # past the limit, the client asks again as more is typed
        return types.CompletionList(is_incomplete=len(matching) > MAX_COMPLETIONS, items=items)

    async def explain(self, rule: str, uri: str | None) -> str:
        try:
            text = await self.checker.explain(_path(uri) if uri else None, rule)
        except CheckFailed as exc:
            text = str(exc)
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=text))
        return text


# protocol types ---------------------------------------------------------------------------------


def _range(rng: Range) -> types.Range:
    (a, b), (c, d) = rng
    return types.Range(start=types.Position(line=a, character=b), end=types.Position(line=c, character=d))


def _diagnostic(d: Diagnostic, links: bool) -> types.Diagnostic:
    return types.Diagnostic(
        range=_range(d.range),
        message=d.message,
        severity=_SEVERITY[d.severity],
        code=d.rule,
        code_description=types.CodeDescription(href=d.href) if links and d.href else None,
        source="readiness",
    )


def _rule_markdown(text: RuleText, finding: Diagnostic | None = None) -> str:
    """A rule as a hover shows it: its ID, name and severity, title, rationale, remediation and
    question. A rubric's own rule is written by the rubric's author: its words are escaped."""

    def words(value: str) -> str:
        value = inert(value)
        return _MARKDOWN.sub(r"\\\1", value) if text.custom else value

    lines = [f"**{text.id}** {words(text.slug)} · {text.severity}", "", f"**{words(text.title)}**"]
    if finding is not None and finding.status in ("waived", "unknown"):
        lines += ["", f"_{finding.status}_"]
    if text.rationale:
        lines += ["", words(text.rationale)]
    if text.remediation:
        lines += ["", f"**How to fix it.** {words(text.remediation)}"]
    if text.question:
        lines += ["", f"**Question.** {words(text.question)}"]
    return "\n".join(lines)


def _path(uri: str) -> str | None:
    return to_fs_path(uri) if uri.startswith("file:") else None


# the server -------------------------------------------------------------------------------------


def build() -> PlanServer:
    """The server with its handlers registered."""
    server = PlanServer()

    @server.feature(types.INITIALIZED)
    def initialized(ls: PlanServer, params: types.InitializedParams) -> None:
        ls.checker.start()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PlanServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.touch(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PlanServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.touch(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PlanServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.touch(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PlanServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: PlanServer, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params.text_document.uri, params.position)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: PlanServer, params: types.CodeActionParams) -> list[types.CodeAction | types.Command] | None:
        return ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" ", "[", ","]))
    async def completion(ls: PlanServer, params: types.CompletionParams) -> types.CompletionList | None:
        return await ls.completion(params)

    @server.command(EXPLAIN)
    async def explain(ls: PlanServer, *arguments: Any) -> str:
        """``[RULE]`` or ``[RULE, URI]``: the document's URI picks the rubric it is judged by."""
        rule = str(arguments[0]) if arguments else ""
        uri = arguments[1] if len(arguments) > 1 and isinstance(arguments[1], str) else None
        return await ls.explain(rule, uri)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: PlanServer, params: Any) -> None:
        ls.shut_down = True
        ls.checker.stop()

    return server


def serve(as_of: dt.date | None = None) -> int:
    """Serve one editor on standard input and output until it says exit: 0 after a clean
    shutdown, 1 otherwise (the protocol's exit codes). ``as_of`` fixes the evaluation date."""
    settings.configure(as_of)
    server = build()
    try:
        server.start_io()
    finally:
        server.checker.stop()
    return 0 if server.shut_down else 1
