"""The validation summary as a modeller reads it at the end of an import."""

from __future__ import annotations


def format_summary(summary: dict) -> list[str]:
    lines = []
    if summary.get("duplicate_of"):
        lines.append(
            f"Same file already imported as workbook {summary['duplicate_of']}; "
            "showing its latest validation (use --force to import again)."
        )
    lines.append(
        f'Workbook {summary.get("workbook_id")} "{summary.get("name", "")}": '
        f"{summary.get('sheets', 0)} sheets, {summary.get('cells', 0):,} cells, "
        f"{summary.get('formula_cells', 0):,} formula cells"
    )
    rate = summary.get("match_rate")
    rate_text = "n/a" if rate is None else f"{rate:.2%}"
    lines.append(
        f"Compared {summary.get('compared', 0):,}, matched {summary.get('matched', 0):,} "
        f"({rate_text}); tolerance abs {summary.get('abs_tol'):g}, rel {summary.get('rel_tol'):g}"
    )
    lines.append(
        _counts("Mismatched", summary.get("mismatched", 0), summary.get("mismatched_by_kind"))
    )
    lines.append(
        _counts(
            "Not evaluated", summary.get("not_evaluated", 0), summary.get("not_evaluated_by_reason")
        )
    )
    if summary.get("excluded"):
        lines.append(
            _counts(
                "Not comparable (excluded)", summary["excluded"], summary.get("excluded_by_reason")
            )
        )
    if summary.get("mismatched_by_reason"):
        lines.append(
            _counts(
                "Mismatch reasons", summary.get("mismatched", 0), summary["mismatched_by_reason"]
            )
        )
    if summary.get("not_compared"):
        lines.append(f"Not compared (Excel cached no value): {summary['not_compared']:,}")
    if summary.get("cache_trusted") is False:
        lines.append(
            f"Caution: Excel's cached values may not be reliable: {summary.get('cache_trust_note')}"
        )
    seconds = summary.get("stage_seconds")
    if seconds:
        lines.append("Seconds per stage: " + ", ".join(f"{k} {v:.2f}" for k, v in seconds.items()))
    return lines


def _counts(label: str, total: int, by: dict | None) -> str:
    if not total:
        return f"{label}: 0"
    parts = ", ".join(f"{key} {value:,}" for key, value in (by or {}).items())
    return f"{label}: {total:,} ({parts})"
