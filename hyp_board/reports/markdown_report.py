"""The report as a Markdown document: the same sections as the PDF."""

from __future__ import annotations

from pathlib import Path

from hyp_board.atomic import atomic_text
from hyp_board.core.analysis_text import likelihood_sentences, sensitivity_findings
from hyp_board.core.likelihood import INDEPENDENCE_CAVEAT
from hyp_board.core.model import RATING_LABELS
from hyp_board.core.text import clean_text
from hyp_board.core.wording import counted
from hyp_board.reports import chart_data
from hyp_board.reports.analysis_tables import diagnostic_rows, mapping_lines
from hyp_board.reports.model import LEADER_MARK, Report, rating_label


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def render_markdown_report(report: Report) -> str:
    # The marking heads and ends the file, in bold on a line of its own, as on paper.
    banner = [f"**{_cell(report.marking)}**", ""] if report.marking else []
    out: list[str] = [*banner, f"# {report.title}", ""]
    if report.question:
        out += [f"**Key question:** {report.question}", ""]
    out += [
        f"Report of {report.generated.isoformat()} · {counted(len(report.evidence), 'evidence item')} · "
        f"{counted(len(report.hypotheses), 'hypothesis')}",
        "",
        f"**{report.ranking}**",
        "",
    ]
    if report.sensitivity:
        out += [report.sensitivity, ""]
    out += ["## Matrix", ""]
    heads = [f"{LEADER_MARK} {h.titled}" if h.leader else h.titled for h in report.hypotheses]
    out.append("| # | Evidence | Cred. | Rel. | Diag. | " + " | ".join(_cell(h) for h in heads) + " |")
    out.append("|---:|---|:-:|:-:|:-:|" + "|".join(":-:" for _ in heads) + "|")
    for ev in report.evidence:
        summary = _cell(ev.summary) if ev.included else f"*{_cell(ev.summary)} (excluded)*"
        ratings = " | ".join(rating_label(r) for r in ev.ratings)
        out.append(
            f"| {ev.ref} | {summary} | {ev.credibility[0]} | {ev.relevance[0]} | "
            f"{ev.diagnosticity} | {ratings} |"
        )
    for name, values in (
        ("Inconsistency", [str(h.inconsistency) for h in report.hypotheses]),
        ("Weighted inconsistency", [f"{h.weighted:.2f}" for h in report.hypotheses]),
        ("Rank", [f"**{h.rank_text}**" if h.leader else h.rank_text for h in report.hypotheses]),
    ):
        out.append(f"| | **{name}** | | | | " + " | ".join(values) + " |")
    out += [
        "",
        "Ratings: "
        + ", ".join(f"{r.value} {label.lower()}" for r, label in RATING_LABELS.items())
        + "; empty: unrated.",
        "",
    ]

    out += analysis_markdown(report)
    out += steps_markdown(report)
    out += conclusion_markdown(report)

    out += ["## Hypotheses", ""]
    for h in report.hypotheses:
        mark = f" {LEADER_MARK}" if h.leader else ""
        out += [
            f"### {h.ref}. {h.label}{mark}",
            "",
            f"Rank {h.rank_text} · inconsistency {h.inconsistency} · weighted {h.weighted:.2f}",
            "",
        ]
        if h.description.strip():
            out += [h.description.strip(), ""]
        if h.milestones:
            out += ["**Milestones** (if this is true, we expect to see…)", ""]
            for m in h.milestones:
                due = f" by {m.due}" if m.due else ""
                state = f" — **{m.due_state}**" if m.due_state else ""
                note = f" {_cell(m.note)}" if m.note.strip() else ""
                out.append(f"- {_cell(m.text)}{due} ({m.status.lower()}{state}).{note}")
            out.append("")

    if report.documents:
        out += ["## Sources", ""]
        for doc in report.documents:
            items = f"{doc.items} evidence item{'s' if doc.items != 1 else ''} quoted"
            out += [f"- **{doc.title}** — {doc.details} · {items}"]
        out += [""]
        out += deception_markdown(report)

    out += ["## Evidence", ""]
    for ev in report.evidence:
        out += [f"### {ev.ref}. {ev.summary}", ""]
        if ev.quote:
            out += ["> " + ev.quote.replace("\n", "\n> "), ""]
        meta = [
            f"Source: {ev.source or 'not given'}",
            *([f"document: {ev.document_text}"] if ev.document else []),
            f"date: {ev.date or 'none'}",
            f"type: {ev.kind}",
            f"{ev.credibility_text}, relevance {ev.relevance}",
            f"diagnosticity {ev.diagnosticity}/{report.max_diagnosticity}",
        ]
        if not ev.included:
            meta.append("**excluded from scoring**")
        out += ["; ".join(meta) + ".", ""]
        for h, rating, reason in zip(report.hypotheses, ev.ratings, ev.reasons, strict=True):
            if rating is not None or reason:
                code = rating.value if rating else "unrated"
                out.append(f"- **{h.titled}: {code}**" + (f" — {reason}" if reason else ""))
        out.append("")
        if ev.notes.strip():
            out += [ev.notes.strip(), ""]

    if report.notes.strip():
        out += ["## Notes and conclusions", "", report.notes.strip(), ""]
    out += banner[:1]
    return "\n".join(out)


def steps_markdown(report: Report) -> list[str]:
    """Heuer's eight steps as a short completion table."""
    if not report.steps:
        return []
    out = ["## Heuer's steps", "", "| Step | | Status | Where it stands |", "|--:|---|---|---|"]
    for step in report.steps:
        status = f"{step.status.symbol} {step.status.value}"
        out.append(f"| {step.number} | {step.title} | {status} | {_cell(step.detail)} |")
    return [*out, ""]


def deception_markdown(report: Report) -> list[str]:
    checked = [d for d in report.documents if d.check is not None]
    if not checked:
        return []
    out = ["### Deception checks", ""]
    for doc in checked:
        check = doc.check
        assert check is not None
        out += [f"**{_cell(doc.title)}**: concern **{check.level}** ({check.basis}).", ""]
        out += [f"- {q}: {a}" + (f" — {_cell(note)}" if note.strip() else "") for q, a, note in check.answers]
        if check.answers:
            out.append("")
        if check.note.strip():
            out += [check.note.strip(), ""]
        if check.without:
            out += [f"*{check.without}*", ""]
    high = report.high_concern_sources
    if high:
        out += [
            "**Items from sources of high concern:** "
            + "; ".join(f"{', '.join(d.refs) or 'none'} (“{_cell(d.title)}”)" for d in high)
            + ".",
            "",
        ]
    return out


def analysis_markdown(report: Report) -> list[str]:
    """The Analysis section: findings, scores with posteriors, the tornado as a table, the
    likelihood view with its mapping and caveat, the most diagnostic items."""
    a = report.analysis
    if a is None or not a.scores:
        return []
    out = ["## Analysis", ""]
    out += [f"- {_cell(sentence)}" for sentence in sensitivity_findings(a)]
    out += ["", "### Scores and posteriors", ""]
    out += ["| Rank | Hypothesis | Weighted inconsistency | Prior | Posterior |", "|:-:|---|--:|--:|--:|"]
    for bar in chart_data.scores_chart(a).bars:
        name = f"**{LEADER_MARK} {_cell(bar.name)}**" if bar.leader else _cell(bar.name)
        prior = a.likelihood.priors[bar.index]
        out.append(f"| {bar.rank_text} | {name} | {bar.weighted:.2f} | {prior:.3f} | {bar.posterior:.3f} |")
    tornado = chart_data.tornado(a)
    if tornado is not None and tornado.bars:
        out += [
            "",
            "### What each item is worth to the lead",
            "",
            f"The lead of {_cell(tornado.reference)} is {tornado.margin:.2f}; removing an item moves it by:",
            "",
            "| Evidence | Change in the lead |",
            "|---|--:|",
        ]
        for move in tornado.bars:
            out.append(f"| {_cell(move.label)} | {move.change:+.2f}{chart_data.lead_note(move, tornado)} |")
        if tornado.more:
            out += ["", f"And {tornado.more} more items that move it less."]
    out += ["", "### Likelihood view", ""]
    out += [" ".join(mapping_lines(a)), ""]
    out += [" ".join(likelihood_sentences(a)), "", f"*{INDEPENDENCE_CAVEAT}*", ""]
    rows = diagnostic_rows(a)
    if rows:
        out += ["| # | Most diagnostic evidence | Likelihood ratio | log₁₀ |", "|---|---|--:|--:|"]
        out += [f"| {n} | {_cell(summary)} | {ratio} | {log} |" for n, summary, ratio, log in rows]
        out.append("")
    return out


def conclusion_markdown(report: Report) -> list[str]:
    """How the conclusion moved: the changes of lead, in sentences (none asked: nothing)."""
    history = report.conclusion
    if history is None or not history.points:
        return []
    out = ["### How the conclusion moved", ""]
    changes = len(history.points) - 1
    out += [f"Over {changes} recorded change{'s' if changes != 1 else ''} that moved a score:", ""]
    out += [f"{n}. {c.sentence}" for n, c in enumerate(history.lead_changes, start=1)]
    if not history.lead_changes:
        leaders = " and ".join(history.name(h) for h in history.points[-1].leaders)
        out.append(f"The lead did not change: {leaders}.")
    return [*out, ""]


def write_markdown(report: Report, path: Path) -> None:
    # (clean_text: a control character kept from before imports cleaned them would make
    # the file read as binary, by us and by editors.)
    with atomic_text(path) as fh:
        fh.write(clean_text(render_markdown_report(report)))
