"""The language server (`treaty lsp`): diagnostics, navigation, completion and verdicts for editors."""
