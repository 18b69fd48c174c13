"""``crg fields``: every field of every file, and the rules language, from the code's own tables."""

from __future__ import annotations

import click

from .options import emit, output_format


@click.command()
@output_format("table", "markdown")
def fields(fmt: str) -> None:
    """List every field of a proposal, rules and scenario file, and every test a rule's check can use.

    For each field: whether it is required, its type, how to write it, an
    example and what it means.

    \b
    Example:
      crg fields
      crg fields --format markdown > docs/fields.md
    """
    from ..outputs.reference import fields_doc

    emit(fields_doc(fmt))
