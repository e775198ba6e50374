"""The tools behind the command-line verbs other than ``build`` and ``check``: serve and
preview, scaffold, init, approve, translated, check --fix."""
