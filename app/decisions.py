"""The decisions register, searchable, each decision opening its record."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.session import Session
from assistant.audience import Filters
from assistant.present import uk_date
from assistant.registers import find_decisions
from assistant.status import facets


def render(session: Session, filters: Filters) -> None:
    """Show the decisions tab."""
    cols = st.columns([3, 2])
    words = cols[0].text_input(
        "Search decisions", placeholder="e.g. action plan", key="decisions_search"
    )
    bodies = facets(session.assistant.store, session.audience)["bodies"]
    body = cols[1].selectbox("Body", ["All", *bodies])
    found = find_decisions(
        session.assistant,
        topic=words,
        body="" if body == "All" else body,
        since=filters.since,
        until=filters.until,
        audience=session.audience,
    )
    if not found:
        st.info("No decisions match: try other words, another body, or clear the date filter.")
        return
    st.caption(f"{len(found)} decisions, newest first")
    table = pd.DataFrame(
        [
            {
                "Date": uk_date(d.meeting_date, d.date_inferred),
                "Body": d.body,
                "Status": d.status,
                "Decision": " ".join(d.text.split()),
                "Part": d.ref.locator,
            }
            for d in found
        ]
    )
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        column_config={"Decision": st.column_config.TextColumn(width="large")},
    )
    rows = event.selection.rows if event is not None else []
    if rows:
        d = found[rows[0]]
        span = (0, d.ref.char_end - d.ref.char_start)
        st.button(
            f"Open {d.title} at {d.ref.locator}",
            on_click=session.open_record,
            args=(d.doc_id, d.ref.locator, span),
        )
