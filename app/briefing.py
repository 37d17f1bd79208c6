"""A briefing on a topic: outcomes, a dated timeline, what is open, with sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.session import Session
from app.sources import show_sources
from assistant.audience import Filters
from assistant.briefing import brief


def render(session: Session, filters: Filters) -> None:
    """Show the briefing tab."""
    state = session.state
    st.caption(
        "A dated, cited timeline of a topic across meetings: decisions first, what "
        "was asked, the outcomes the records state, and what is still open."
    )
    topic = st.text_input(
        "Topic", placeholder="e.g. Ofsted inspections, tranche two funding", key="briefing_topic"
    )
    if st.button("Prepare briefing"):
        if not topic.strip():
            st.warning("Type a topic first.")
        else:
            state.briefing = brief(
                session.assistant,
                topic,
                since=filters.since,
                until=filters.until,
                audience=session.audience,
            )
    briefing = state.get("briefing")
    if briefing is None:
        return
    if briefing.outcomes:
        st.subheader("Outcomes recorded")
        rows = [
            {
                "Year": str(o["year"]),
                "Outcome": o["outcome"],
                "Source": f"[{o['n']}] {o['locator']}",
            }
            for o in briefing.outcomes
        ]
        st.table(pd.DataFrame(rows))
    st.markdown(briefing.body_markdown())
    st.download_button(
        "Download briefing", briefing.to_markdown(), file_name="briefing.md", mime="text/markdown"
    )
    show_sources(session, briefing.citations, "brief", "Sources")
