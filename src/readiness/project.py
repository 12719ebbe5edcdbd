"""Where the project's documentation and schemas are published."""

from __future__ import annotations

#: The documentation site; SARIF ``helpUri`` is ``{DOCS_URL}/rules/{ID}``.
DOCS_URL = "https://readiness-cli.github.io/readiness"
#: The plan format's JSON Schema, as referenced by ``readiness init``'s editor modeline.
SCHEMA_URL = f"{DOCS_URL}/schema/plan-v1.json"
#: The rubric files' JSON Schema.
RUBRIC_SCHEMA_URL = f"{DOCS_URL}/schema/rubric-v1.json"

#: The rubrics shipped inside the package (``rubrics/<name>.yaml``), in the order they are listed.
BUILT_IN_RUBRICS = ("default", "strict", "sales-led")
#: The JSON Schema of the ``--format json`` report.
REPORT_SCHEMA_URL = f"{DOCS_URL}/schema/report-v1.json"
