"""Tuning on the dev split only: the extractive answerer's weights (`python -m eval calibrate`), the chunk
token budget (`python -m eval.tuning.chunk_sweep`) and the grounding thresholds
(`python -m eval.tuning.calibrate_grounding`). Results are copied into the code by hand, as reviewed commits.
"""
