"""Help that reads well at 80 columns: no Python type names, plain usage lines.

Typer (0.29) shows each parameter's Python type in help (`TRACK <str>`, `--at <int range>`,
`FILE... <list[Path]>`) and wraps required arguments in braces in the usage line
(`{FILE...}...`). sc's help names values by their metavar or their choices instead.
"""

from __future__ import annotations

from typing import Any

from typer import core as typer_core


def _display_type(self: Any, ctx: Any) -> str | None:
    """A choice shows its values; an option its name (HOST); an argument nothing more."""
    desc = self.type_descriptor
    if desc.is_choice and desc.choices:
        label = "[" + "|".join(str(c) for c in desc.choices) + "]"
        if len(label) <= 24:  # longer lists (licenses) are in the help text and completion
            return label
    if isinstance(self, typer_core.TyperArgument):
        return None
    return (self.name or "value").upper().replace("_", "-")


def _usage_name(self: Any) -> str:
    name = self.display_name_raw
    if self.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if self.required else f"[{name}]"


def install() -> None:
    typer_core._TyperParameter.display_type = _display_type  # type: ignore[assignment,method-assign]
    typer_core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]
