from ..report_old import render_html, render_markdown, write_reports  # noqa: F401
