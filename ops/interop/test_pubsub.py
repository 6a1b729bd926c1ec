"""google-cloud-pubsub (REST transport) against a running `sluice serve`."""
import json
import os
import pathlib
import time
import urllib.request
import uuid

import pytest
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import pubsub_v1

PROJECT = "sluice-local"


def clients():
    url = os.environ["SLUICE_URL"]
    options = ClientOptions(api_endpoint=url)
    publisher = pubsub_v1.PublisherClient(
        transport="rest", credentials=AnonymousCredentials(), client_options=options)
    subscriber = pubsub_v1.SubscriberClient(
        transport="rest", credentials=AnonymousCredentials(), client_options=options)
    return publisher, subscriber


@pytest.fixture
def names():
    suffix = uuid.uuid4().hex[:10]
    return (f"projects/{PROJECT}/topics/t-{suffix}", f"projects/{PROJECT}/subscriptions/s-{suffix}")


def push_endpoint(on_push):
    """A loopback HTTP endpoint answering 204 to each POST after calling on_push(body, headers)."""
    import http.server
    import threading

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            on_push(self.rfile.read(int(self.headers["Content-Length"])), self.headers)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def pull(subscriber, subscription, count):
    received = []
    for _ in range(20):
        response = subscriber.pull(request={"subscription": subscription, "max_messages": 10}, timeout=15)
        received += list(response.received_messages)
        if len(received) >= count:
            break
    return received


def test_a_published_message_is_pulled_and_acknowledged(names):
    publisher, subscriber = clients()
    topic, subscription = names
    publisher.create_topic(request={"name": topic})
    subscriber.create_subscription(request={"name": subscription, "topic": topic, "ack_deadline_seconds": 30})
    message_id = publisher.publish(topic, b"hello", color="blue").result(timeout=30)
    received = pull(subscriber, subscription, 1)
    assert [m.message.data for m in received] == [b"hello"]
    assert received[0].message.attributes["color"] == "blue"
    assert received[0].message.message_id == message_id
    subscriber.acknowledge(request={"subscription": subscription, "ack_ids": [received[0].ack_id]})
    again = subscriber.pull(request={"subscription": subscription, "max_messages": 10, "return_immediately": True})
    assert len(again.received_messages) == 0


def test_a_nack_redelivers_with_a_new_ack_id(names):
    publisher, subscriber = clients()
    topic, subscription = names
    publisher.create_topic(request={"name": topic})
    subscriber.create_subscription(request={"name": subscription, "topic": topic})
    publisher.publish(topic, b"again").result(timeout=30)
    first = pull(subscriber, subscription, 1)
    subscriber.modify_ack_deadline(
        request={"subscription": subscription, "ack_ids": [first[0].ack_id], "ack_deadline_seconds": 0})
    second = pull(subscriber, subscription, 1)
    assert second[0].message.data == b"again"
    assert second[0].ack_id != first[0].ack_id


def test_the_notification_of_an_upload_arrives_on_a_pulled_subscription():
    """The pipeline's first half with official clients: a GCS upload notifies the example topic."""
    from google.cloud import storage

    publisher, subscriber = clients()
    subscription = f"projects/{PROJECT}/subscriptions/watch-{uuid.uuid4().hex[:10]}"
    subscriber.create_subscription(
        request={"name": subscription, "topic": f"projects/{PROJECT}/topics/uploads-finalized"})
    client = storage.Client(project=PROJECT, credentials=AnonymousCredentials())
    name = f"digit-{uuid.uuid4().hex[:8]}.json"
    sample = pathlib.Path(__file__).parent.parent / "examples/ml-pipeline/model/samples/sample-3.json"
    client.bucket("uploads").blob(name).upload_from_string(sample.read_bytes(), content_type="application/json")
    received = pull(subscriber, subscription, 1)
    attributes = received[0].message.attributes
    assert attributes["eventType"] == "OBJECT_FINALIZE"
    assert attributes["bucketId"] == "uploads"
    assert attributes["objectId"] == name
    assert attributes["payloadFormat"] == "JSON_API_V1"

    # The function started the workflow by itself; its result, read with the Executions REST
    # API, holds the model's prediction (scikit-learn says 7 for this sample).
    base = os.environ["SLUICE_URL"] + f"/v1/projects/{PROJECT}/locations/us-central1/workflows/predict-digit"
    result = None
    for _ in range(100):
        with urllib.request.urlopen(base + "/executions?view=FULL") as response:
            executions = json.load(response).get("executions", [])
        for execution in executions:
            if execution.get("state") == "SUCCEEDED" and name in execution.get("argument", ""):
                result = json.loads(execution["result"])
        if result:
            break
        time.sleep(0.1)
    assert result is not None, "no succeeded execution for the upload"
    assert result["label"] == "7"


def test_an_update_changes_the_masked_fields_only(names):
    publisher, subscriber = clients()
    topic, subscription = names
    publisher.create_topic(request={"name": topic})
    subscriber.create_subscription(request={"name": subscription, "topic": topic, "ack_deadline_seconds": 20})
    updated = subscriber.update_subscription(request={
        "subscription": {"name": subscription, "ack_deadline_seconds": 45, "filter": "ignored"},
        "update_mask": {"paths": ["ack_deadline_seconds"]},
    })
    assert updated.ack_deadline_seconds == 45
    assert subscriber.get_subscription(request={"subscription": subscription}).ack_deadline_seconds == 45


def test_a_push_subscription_posts_the_wrapped_message_to_its_endpoint(names):
    received = []
    server = push_endpoint(lambda body, headers: received.append(json.loads(body)))
    try:
        publisher, subscriber = clients()
        topic, subscription = names
        publisher.create_topic(request={"name": topic})
        subscriber.create_subscription(request={
            "name": subscription, "topic": topic,
            "push_config": {"push_endpoint": f"http://127.0.0.1:{server.server_port}/push"},
        })
        message_id = publisher.publish(topic, b"pushed", color="red").result(timeout=30)
        for _ in range(100):
            if received:
                break
            time.sleep(0.05)
        assert received, "nothing was pushed"
        message = received[0]["message"]
        assert received[0]["subscription"] == subscription
        assert message["messageId"] == message_id
        assert message["attributes"] == {"color": "red"}
        import base64
        assert base64.b64decode(message["data"]) == b"pushed"
    finally:
        server.shutdown()


def test_an_authenticated_push_carries_an_id_token_google_auth_verifies_with_sluices_keys(names):
    import google.auth.transport.requests
    from google.oauth2 import id_token

    authorizations = []
    server = push_endpoint(lambda body, headers: authorizations.append(headers.get("Authorization")))
    try:
        publisher, subscriber = clients()
        topic, subscription = names
        email = "pusher@sluice-local.iam.gserviceaccount.com"
        publisher.create_topic(request={"name": topic})
        subscriber.create_subscription(request={
            "name": subscription, "topic": topic,
            "push_config": {
                "push_endpoint": f"http://127.0.0.1:{server.server_port}/push",
                "oidc_token": {"service_account_email": email, "audience": "https://receiver.example/push"},
            },
        })
        got = subscriber.get_subscription(request={"subscription": subscription})
        assert got.push_config.oidc_token.service_account_email == email
        publisher.publish(topic, b"signed").result(timeout=30)
        for _ in range(100):
            if authorizations:
                break
            time.sleep(0.05)
        assert authorizations and authorizations[0].startswith("Bearer ")
        token = authorizations[0][len("Bearer "):]
        claims = id_token.verify_token(
            token, google.auth.transport.requests.Request(), audience="https://receiver.example/push",
            certs_url=os.environ["SLUICE_URL"] + "/oauth2/v3/certs")
        assert claims["email"] == email and claims["email_verified"] is True
        assert claims["iss"] == os.environ["SLUICE_URL"]
        with pytest.raises(Exception):
            id_token.verify_token(
                token, google.auth.transport.requests.Request(), audience="https://someone-else",
                certs_url=os.environ["SLUICE_URL"] + "/oauth2/v3/certs")
    finally:
        server.shutdown()


def test_a_topics_subscriptions_are_listed(names):
    publisher, subscriber = clients()
    topic, subscription = names
    publisher.create_topic(request={"name": topic})
    subscriber.create_subscription(request={"name": subscription, "topic": topic})
    listed = list(publisher.list_topic_subscriptions(request={"topic": topic}))
    assert listed == [subscription]
