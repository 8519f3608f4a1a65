"""Quality evaluation: does the assistant answer the gold questions, with citations that hold the evidence?

gold -> systems (ask) -> scoring (one row per item) -> aggregate -> results.json + report/; gates and
compare read results.json. Entry points: `python -m eval run|compare|from-feedback`.
"""
