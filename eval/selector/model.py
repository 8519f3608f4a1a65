"""The selector network: MiniLM's first layers, mean pooling, one linear unit.

Why mean pooling and not BERT's [CLS] pooler: the bundled all-MiniLM-L6-v2
was trained as a sentence embedder with mean pooling, so its [CLS] vector and
pooler carry no trained meaning; a head on the mean of the joint encoding
starts from features that already describe the text, and trains in far
fewer steps on our few thousand questions.
"""
from __future__ import annotations

import torch
from torch import nn


class SelectorNet(nn.Module):
    def __init__(self, model_dir: str, layers: int) -> None:
        super().__init__()
        from transformers import AutoModel

        bert = AutoModel.from_pretrained(model_dir, add_pooling_layer=False)
        bert.encoder.layer = bert.encoder.layer[:layers]
        bert.config.num_hidden_layers = layers
        self.bert = bert
        self.head = nn.Linear(bert.config.hidden_size, 1)
        nn.init.zeros_(self.head.bias)
        nn.init.normal_(self.head.weight, std=0.02)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor) -> torch.Tensor:
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=token_type_ids).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(pooled).squeeze(-1)
