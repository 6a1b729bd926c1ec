"""google-cloud-workflows (REST transport) and the Workflow Executions v1 REST API against a
running `sluice serve`. (The executions client of google-cloud-workflows has no REST transport,
so executions go through the REST API directly, as the issue asks.)"""
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from google.api_core import exceptions
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import workflows_v1

PARENT = "projects/sluice-local/locations/us-central1"
DOUBLING = "main:\n  params: [args]\n  steps:\n    - done:\n        return: ${args.x * 2}\n"
TRIPLING = "main:\n  params: [args]\n  steps:\n    - done:\n        return: ${args.x * 3}\n"
SLEEPING = "main:\n  steps:\n    - wait:\n        call: sys.sleep\n        args:\n          seconds: 30\n"


def workflows():
    return workflows_v1.WorkflowsClient(
        transport="rest", credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=os.environ["SLUICE_URL"]))


def rest(method, path, body=None):
    request = urllib.request.Request(
        os.environ["SLUICE_URL"] + "/v1/" + path, method=method,
        data=None if body is None else json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


def finished(name):
    for _ in range(200):
        execution = rest("GET", name)
        if execution["state"] != "ACTIVE":
            return execution
        time.sleep(0.05)
    raise AssertionError(f"{name} is still ACTIVE")


@pytest.fixture
def workflow_id():
    return f"wf-{uuid.uuid4().hex[:10]}"


def test_a_workflow_is_deployed_read_listed_and_updated_to_a_new_revision(workflow_id):
    client = workflows()
    created = client.create_workflow(
        parent=PARENT, workflow={"source_contents": DOUBLING}, workflow_id=workflow_id).result(timeout=30)
    assert created.name == f"{PARENT}/workflows/{workflow_id}"
    assert client.get_workflow(name=created.name).state == workflows_v1.Workflow.State.ACTIVE
    assert created.name in [w.name for w in client.list_workflows(parent=PARENT)]
    updated = client.update_workflow(
        workflow={"name": created.name, "source_contents": TRIPLING}).result(timeout=30)
    assert updated.revision_id != created.revision_id
    with pytest.raises(exceptions.Conflict):
        client.create_workflow(
            parent=PARENT, workflow={"source_contents": DOUBLING}, workflow_id=workflow_id).result(timeout=30)


def test_an_execution_runs_to_its_result_and_is_listed(workflow_id):
    name = workflows().create_workflow(
        parent=PARENT, workflow={"source_contents": DOUBLING}, workflow_id=workflow_id).result(timeout=30).name
    execution = rest("POST", name + "/executions", {"argument": json.dumps({"x": 21})})
    done = finished(execution["name"])
    assert done["state"] == "SUCCEEDED"
    assert json.loads(done["result"]) == 42
    listed = rest("GET", name + "/executions?pageSize=10")["executions"]
    assert execution["name"] in [e["name"] for e in listed]


def test_executions_carry_labels_and_a_filter_sent_as_python_encodes_it_selects_them(workflow_id):
    name = workflows().create_workflow(
        parent=PARENT, workflow={"source_contents": DOUBLING}, workflow_id=workflow_id).result(timeout=30).name
    labelled = rest("POST", name + "/executions", {"argument": json.dumps({"x": 1}), "labels": {"team": "ml"}})
    plain = rest("POST", name + "/executions", {"argument": json.dumps({"x": 2})})
    assert labelled["labels"] == {"team": "ml"}
    finished(labelled["name"])
    finished(plain["name"])
    # urlencode writes spaces as '+', as requests and Google's REST transports do.
    query = urllib.parse.urlencode({"filter": 'labels.team="ml" AND state="SUCCEEDED"'})
    listed = rest("GET", name + "/executions?" + query)["executions"]
    assert [e["name"] for e in listed] == [labelled["name"]]


def test_a_running_execution_is_cancelled(workflow_id):
    name = workflows().create_workflow(
        parent=PARENT, workflow={"source_contents": SLEEPING}, workflow_id=workflow_id).result(timeout=30).name
    execution = rest("POST", name + "/executions", {})
    time.sleep(0.2)
    rest("POST", execution["name"] + ":cancel", {})
    assert finished(execution["name"])["state"] == "CANCELLED"


def test_an_unknown_execution_is_not_found(workflow_id):
    with pytest.raises(urllib.error.HTTPError) as raised:
        rest("GET", f"{PARENT}/workflows/predict-digit/executions/no-such-execution")
    assert raised.value.code == 404
