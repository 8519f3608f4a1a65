"""The staff chat app (Gradio 6): answers with openable citations, feedback, export and the /ask API.

    python -m assistant chat [--host 127.0.0.1] [--port 7860] [--index DIR] [--no-build]

server.serve() is the entry point; app.build_app() builds the Blocks; render.py
turns answers into escaped HTML (Jinja2 templates in templates/, set up in
templating.py; the source cards are sources.py, the side panel panel.py);
feedback.py and export.py write the JSONL feedback log and the Markdown export.
"""
