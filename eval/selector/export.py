"""Export the trained selector to ONNX and quantize it to int8 for the product.

Dynamic int8 quantization (onnxruntime) of the MatMul and Gather weights
shrinks the 6-layer model about 4x and halves its CPU time; `fit` then
measures the int8 model itself, so every figure in the model card is the
shipped file's, not the fp32 parent's.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from assistant.selector import MODEL_FILE, TOKENIZER_FILE


def export(work: Path, out_dir: Path, layers: int) -> Path:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from ingest.embedder import model_path

    from .model import SelectorNet

    net = SelectorNet(str(model_path()), layers)
    net.load_state_dict(torch.load(work / "selector.pt", map_location="cpu"))
    net.eval()
    dummy = torch.ones((2, 16), dtype=torch.long)
    fp32 = work / "model.fp32.onnx"
    torch.onnx.export(net, (dummy, dummy, torch.zeros_like(dummy)), str(fp32),
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes={n: {0: "batch", 1: "tokens"} for n in
                                    ("input_ids", "attention_mask", "token_type_ids")} | {"logits": {0: "batch"}},
                      opset_version=17, dynamo=False)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / MODEL_FILE
    tmp = out_dir / (MODEL_FILE + ".tmp")
    quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8)
    tmp.replace(target)
    shutil.copyfile(model_path() / "tokenizer.json", out_dir / TOKENIZER_FILE)
    return target
