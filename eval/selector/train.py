"""Fine-tune the selector on SQuAD 2.0 train articles (eval/selector/split.py).

Each step takes a few questions with their candidates (the positive, if any,
and negatives sampled afresh each epoch from the retrieval candidates, the
plausible-answer sentence and the positive's neighbours). Two losses:
- binary cross-entropy on every pair, so the score means "answers the
  question" on an absolute scale that abstention can threshold;
- a softmax over each answerable question's candidates, so the right
  sentence outranks its neighbours, which is what sentence choice needs.
Seeded (python, numpy, torch); wall time and per-epoch loss are logged to
train_log.json beside the weights.
"""
from __future__ import annotations

import json
import random
import time
from pathlib import Path

import numpy as np

from . import data as D

NEG_PER_QUESTION = 5
QUESTIONS_PER_STEP = 6
LR = 1e-4
WARMUP = 0.06


def _sample(ex: D.Example, rng: random.Random) -> list[D.Candidate]:
    pos = [c for c in ex.candidates if c.label]
    neg = [c for c in ex.candidates if not c.label]
    hard = [c for c in neg if c.rank >= D.CANDIDATES]  # plausible span, neighbours
    rest = [c for c in neg if c.rank < D.CANDIDATES]
    top = rest[:2]
    pool = rest[2:]
    rng.shuffle(pool)
    chosen = (hard + top + pool)[:NEG_PER_QUESTION + (0 if pos else 1)]
    return pos[:2] + chosen


def train(work: Path, epochs: float, layers: int, seed: int, max_length: int, lr: float = LR,
          init: Path | None = None, swaps: bool = False) -> Path:
    """`init` continues from saved weights (a second round at a lower `lr`); `swaps` adds the
    name/number-swapped unanswerable questions of augment.py to the train articles' questions."""
    import torch
    from tokenizers import Tokenizer

    from ingest.embedder import model_path

    from .model import SelectorNet

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(2)
    examples = D.read(work / "squad_train.jsonl")
    examples = [e for e in examples if e.candidates]
    if swaps:
        from .augment import augment

        examples += augment(examples, seed)
    tok = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    tok.enable_truncation(max_length=max_length, strategy="only_second")
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    net = SelectorNet(str(model_path()), layers)
    if init is not None:
        net.load_state_dict(torch.load(init, map_location="cpu"))
    net.train()
    steps_per_epoch = (len(examples) + QUESTIONS_PER_STEP - 1) // QUESTIONS_PER_STEP
    total = int(steps_per_epoch * epochs)
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=0.01)
    warm = max(1, int(total * WARMUP))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm)))
    bce = torch.nn.BCEWithLogitsLoss()
    rng = random.Random(seed)
    log: list[dict[str, float]] = []
    bf16 = "AVX512" in torch.backends.cpu.get_cpu_capability()
    t0 = time.time()
    step = 0
    order: list[int] = []
    running = 0.0
    while step < total:
        if not order:
            order = list(range(len(examples)))
            rng.shuffle(order)
        batch = [examples[order.pop()] for _ in range(min(QUESTIONS_PER_STEP, len(order)))]
        groups = [_sample(e, rng) for e in batch]
        pairs = [(e.question, c.text) for e, g in zip(batch, groups) for c in g]
        labels = torch.tensor([float(c.label) for g in groups for c in g])
        enc = tok.encode_batch(pairs)
        ids = torch.tensor([x.ids for x in enc])
        mask = torch.tensor([x.attention_mask for x in enc])
        types = torch.tensor([x.type_ids for x in enc])
        # bf16 autocast where the CPU has AVX-512 (BF16/AMX kernels train ~1.7x faster there); on an AVX2-only
        # CPU bf16 matmuls are emulated, about 100x slower, so it trains in fp32. The loss is taken in fp32.
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = net(ids, mask, types).float()
        loss = bce(logits, labels)
        lw, i = [], 0
        for g in groups:
            n = len(g)
            if any(c.label for c in g):
                seg = logits[i:i + n]
                target = torch.tensor([float(c.label) for c in g])
                lw.append(-(torch.log_softmax(seg, 0) * target / target.sum()).sum())
            i += n
        if lw:
            loss = loss + torch.stack(lw).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        sched.step()
        step += 1
        running += float(loss.detach())
        if step % 50 == 0:
            entry = {"step": step, "of": total, "loss": running / 50, "elapsed_s": round(time.time() - t0, 1)}
            running = 0.0
            log.append(entry)
            print(json.dumps(entry), flush=True)
        if step % steps_per_epoch == 0 or step == total:
            torch.save(net.state_dict(), work / "selector.pt")
    wall = time.time() - t0
    torch.save(net.state_dict(), work / "selector.pt")
    (work / "train_log.json").write_text(json.dumps({
        "seed": seed, "epochs": epochs, "layers": layers, "max_length": max_length, "lr": lr,
        "init": str(init) if init else None, "swaps": swaps,
        "precision": "bf16 autocast" if bf16 else "fp32", "questions_per_step": QUESTIONS_PER_STEP, "neg_per_question": NEG_PER_QUESTION,
        "train_questions": len(examples), "steps": total, "wall_s": round(wall, 1), "log": log}, indent=1))
    return work / "selector.pt"
