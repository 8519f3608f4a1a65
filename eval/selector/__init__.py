"""Training and evaluation of the learned answer selector (assistant/selector.py).

    python -m eval.selector data    # candidate pairs from the SQuAD 2.0 articles, by article split
    python -m eval.selector train   # fine-tune the bundled MiniLM as a cross-encoder (fixed seed)
    python -m eval.selector export  # int8 ONNX + tokenizer + card into assistant/models/
    python -m eval.selector fit     # the small combination and the abstention threshold, on dev only
    python -m eval.selector evaluate --model DIR   # a model folder's figures as it is (writes nothing)

`make` never runs these; the product loads the shipped ONNX file.
"""
