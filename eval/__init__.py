"""Evaluation, split by job. One entry point: `python -m eval <command>` (eval/__main__.py).

- quality/: gold data, deterministic metrics, the systems and baselines asked, scoring, gates, `run`,
  `compare`, the HTML/Markdown report (Jinja2 templates), point metrics, intent accuracy, feedback -> gold.
- tuning/: fitting settings on the dev split: answerer weights (`calibrate`), chunk budget sweep,
  grounding thresholds.
- perf/: speed and memory: `bench`, synthetic `scale` runs and the chat server `load` test, over one set
  of measurement helpers (perf/measure.py).
- selector/: training the learned answer selector (`python -m eval.selector data|train|export|fit`).
- errors.py: the harness's exceptions and their exit codes.

The data files stay here: gold.jsonl, gold_overview.jsonl, gold_dev_extra.jsonl, gates.toml,
intent_labels.jsonl and data/.
"""
