#!/usr/bin/env python3
"""Train the example digits classifier and export it to Sluice's built-in model format.

Uses scikit-learn's bundled 8x8 handwritten digits (no download). The network is
64 -> 32 (relu) -> 10 (softmax). Inputs are the raw pixel intensities 0..16 as the dataset
stores them; the /16 scaling used in training is folded into the first layer's weights, so
the exported model takes raw pixels.

    pip install scikit-learn numpy
    python3 train.py            # writes digits.model.json, samples/*.json, samples/expected.json

Deterministic: fixed split and seed.
"""
import json
import pathlib

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

HERE = pathlib.Path(__file__).resolve().parent
SEED = 7


def main() -> None:
    digits = load_digits()
    x = digits.data.astype(np.float64)  # (1797, 64), values 0..16
    y = digits.target
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=SEED, stratify=y)

    model = MLPClassifier(hidden_layer_sizes=(32,), activation="relu", max_iter=2000, random_state=SEED, alpha=1e-3)
    model.fit(x_train / 16.0, y_train)
    accuracy = model.score(x_test / 16.0, y_test)
    print(f"held-out accuracy: {accuracy:.4f} on {len(y_test)} test images")

    w1, w2 = model.coefs_  # (64, 32), (32, 10): sklearn stores [inputs][units]
    b1, b2 = model.intercepts_
    exported = {
        "format": "sluice.dense.v1",
        "name": "digits-mlp",
        "description": "scikit-learn 8x8 digits, 64-32-10 MLP; inputs are 64 raw pixel values 0..16",
        "inputs": 64,
        "layers": [
            # Sluice stores weights as [units][inputs]; the /16 input scaling is folded in.
            {"weights": (w1 / 16.0).T.tolist(), "bias": b1.tolist(), "activation": "relu"},
            {"weights": w2.T.tolist(), "bias": b2.tolist(), "activation": "softmax"},
        ],
        "labels": [str(label) for label in model.classes_],
        "heldOutAccuracy": round(float(accuracy), 4),
    }
    (HERE / "digits.model.json").write_text(json.dumps(exported, separators=(",", ":")) + "\n")

    samples = HERE / "samples"
    samples.mkdir(exist_ok=True)
    expected = {}
    for index in range(5):
        pixels = x_test[index]
        probabilities = model.predict_proba(pixels.reshape(1, -1) / 16.0)[0]
        predicted = int(model.classes_[int(np.argmax(probabilities))])
        name = f"digit-{index}.json"
        (samples / name).write_text(json.dumps({"instances": [[int(v) for v in pixels]]}) + "\n")
        expected[name] = {
            "trueLabel": int(y_test[index]),
            "sklearnPrediction": predicted,
            "sklearnScores": [round(float(p), 6) for p in probabilities],
        }
    (samples / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")
    print(f"wrote {HERE / 'digits.model.json'} and {len(expected)} samples")


if __name__ == "__main__":
    main()
