"""The reference as people read it, generated from what the code declares: the rule catalogue
(``readiness rules``, ``readiness explain``, ``docs/rules.md``), the command reference
(``docs/cli.md``) and the plan format (``docs/plan-format.md``)."""
