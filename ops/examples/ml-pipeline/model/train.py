"""Trains the example pipeline's digit classifier and exports it for Sluice's built-in runtime.

Data: scikit-learn's bundled 8x8 handwritten digits (1,797 images, no download). Model: an MLP
64 -> 32 (relu) -> 10 (softmax). Output: digits.json in the sluice.dense.v1 format, a few
held-out samples as `:predict` request bodies, and expected.json with sklearn's own prediction
for each sample (the Swift tests check the runtime reproduces them).

    pip install scikit-learn numpy && python3 train.py
"""

import json
import pathlib

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

HERE = pathlib.Path(__file__).parent

digits = load_digits()
# Pixel values 0-16, scaled to 0-1 so the runtime receives what the model was trained on.
features = digits.data / 16.0
train_x, test_x, train_y, test_y = train_test_split(
    features, digits.target, test_size=0.25, random_state=7, stratify=digits.target
)
model = MLPClassifier(hidden_layer_sizes=(32,), activation="relu", max_iter=2000, random_state=7)
model.fit(train_x, train_y)
accuracy = model.score(test_x, test_y)
print(f"held-out accuracy: {accuracy:.4f} on {len(test_y)} images")

layers = []
activations = ["relu", "softmax"]
for weights, bias, activation in zip(model.coefs_, model.intercepts_, activations):
    layers.append(
        {
            # sklearn stores (inputs x outputs); the runtime wants one row per output.
            "weights": [[round(float(w), 8) for w in row] for row in weights.T],
            "bias": [round(float(b), 8) for b in bias],
            "activation": activation,
        }
    )
exported = {
    "format": "sluice.dense.v1",
    "inputs": 64,
    "labels": [str(label) for label in model.classes_],
    "layers": layers,
    "trainedOn": "sklearn.datasets.load_digits, 75% train / 25% held out, random_state=7",
    "heldOutAccuracy": round(accuracy, 4),
}
(HERE / "digits.json").write_text(json.dumps(exported, separators=(",", ":")) + "\n")

expected = {}
for index in range(5):
    instance = [round(float(v), 6) for v in test_x[index]]
    name = f"sample-{index}.json"
    (HERE / "samples" / name).write_text(json.dumps({"instances": [instance]}) + "\n")
    expected[name] = {"label": str(model.predict([test_x[index]])[0]), "truth": str(test_y[index])}
(HERE / "samples" / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
