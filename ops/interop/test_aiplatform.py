"""google-cloud-aiplatform's PredictionServiceClient (REST) against a running `sluice serve`
serving the example's built-in digits model."""
import json
import os
import pathlib

import pytest
from google.api_core import exceptions
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import aiplatform_v1
from google.protobuf import json_format, struct_pb2

SAMPLES = pathlib.Path(__file__).parent.parent / "examples/ml-pipeline/model/samples"
ENDPOINT = "projects/sluice-local/locations/us-central1/endpoints/digits"


def client():
    return aiplatform_v1.PredictionServiceClient(
        transport="rest", credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=os.environ["SLUICE_URL"]))


def values(instance):
    return json_format.ParseDict(instance, struct_pb2.Value())


def test_the_digits_endpoint_predicts_scikit_learns_labels():
    expected = json.loads((SAMPLES / "expected.json").read_text())
    names = sorted(expected)
    instances = [json.loads((SAMPLES / name).read_text())["instances"][0] for name in names]
    response = client().predict(endpoint=ENDPOINT, instances=[values(i) for i in instances])
    labels = [prediction["label"] for prediction in response.predictions]
    assert labels == [expected[name]["label"] for name in names]
    assert response.deployed_model_id


def test_an_unknown_endpoint_is_not_found_and_a_wrong_width_is_invalid():
    with pytest.raises(exceptions.NotFound):
        client().predict(endpoint=ENDPOINT.replace("digits", "nope"), instances=[values([1.0])])
    with pytest.raises(exceptions.BadRequest):
        client().predict(endpoint=ENDPOINT, instances=[values([1.0, 2.0])])
