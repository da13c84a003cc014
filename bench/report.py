"""The one table: each figure beside its peer measured in the same run, with the ratio ours / peer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    """One measured figure. ``better`` is "higher" (throughput) or "lower" (time, memory, size)."""

    section: str
    measure: str
    ours: float | None
    peer: float | None
    better: str
    target: str = ""
    met: bool | None = None
    unit: str = ""
    note: str = ""
    ours2: float | None = None  #: a second figure of the same measure (p95 beside p50)
    peer2: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.peer:
            return None
        return self.ours / self.peer

    @property
    def ratio2(self) -> float | None:
        if self.ours2 is None or not self.peer2:
            return None
        return self.ours2 / self.peer2


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "MiB":
        return f"{value / 2**20:,.0f} MiB"
    if unit == "ms":
        return f"{value * 1000:,.1f} ms"
    if unit == "s":
        return f"{value:,.1f} s"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}x"


def render(rows: list[Row], title: str) -> str:
    """A GitHub-flavoured Markdown table (readable as plain text too)."""
    head = ["section", "measure", "ours", "peer", "ours/peer", "ours p95", "peer p95", "p95 ratio", "target", "met"]
    body = []
    for row in rows:
        second = row.ours2 is not None or row.peer2 is not None
        body.append([
            row.section, row.measure, _num(row.ours, row.unit), _num(row.peer, row.unit), _ratio(row.ratio),
            _num(row.ours2, row.unit) if second else "", _num(row.peer2, row.unit) if second else "",
            _ratio(row.ratio2) if second else "", row.target,
            "" if row.met is None else ("yes" if row.met else "NO"),
        ])
    widths = [max(len(head[i]), *(len(r[i]) for r in body)) if body else len(head[i]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) if i < 2 else c.rjust(w) if i < 8 else c.ljust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths, strict=True))) + " |"

    out = [f"### {title}", "", line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out.extend(line(r) for r in body)
    notes = [f"- {r.measure.strip()}: {r.note}" for r in rows if r.note]
    if notes:
        out += ["", *notes]
    return "\n".join(out)
