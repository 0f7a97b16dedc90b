"""treaty-dsl: the treaty language (grammar, AST, checker, IR, concrete evaluator). No solver here."""

__version__ = "0.1.0"
