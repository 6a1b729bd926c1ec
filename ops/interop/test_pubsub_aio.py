"""gcloud-aio-pubsub against a running `sluice serve`, found through PUBSUB_EMULATOR_HOST as the
emulator would be."""
import asyncio
import os
import uuid

from gcloud.aio.pubsub import PublisherClient, PubsubMessage, SubscriberClient

PROJECT = "sluice-local"


async def scenario():
    suffix = uuid.uuid4().hex[:10]
    topic = f"projects/{PROJECT}/topics/aio-{suffix}"
    subscription = f"projects/{PROJECT}/subscriptions/aio-{suffix}"
    async with PublisherClient() as publisher, SubscriberClient() as subscriber:
        await publisher.create_topic(topic)
        await subscriber.create_subscription(subscription, topic, body={"ackDeadlineSeconds": 30})
        published = await publisher.publish(topic, [PubsubMessage(b"from aio", kind="test")])
        received = []
        for _ in range(20):
            received += await subscriber.pull(subscription, max_messages=10, timeout=15)
            if received:
                break
        assert [m.data for m in received] == [b"from aio"]
        assert received[0].attributes["kind"] == "test"
        assert received[0].message_id == published["messageIds"][0]
        await subscriber.modify_ack_deadline(subscription, [received[0].ack_id], 0)
        again = []
        for _ in range(20):
            again += await subscriber.pull(subscription, max_messages=10, timeout=15)
            if again:
                break
        assert again[0].ack_id != received[0].ack_id
        await subscriber.acknowledge(subscription, [again[0].ack_id])
        await subscriber.delete_subscription(subscription)
        await publisher.delete_topic(topic)


def test_gcloud_aio_creates_publishes_pulls_nacks_and_acknowledges(monkeypatch):
    # Only this client: google-cloud-pubsub's REST transport refuses the emulator variable.
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", os.environ["SLUICE_URL"].removeprefix("http://"))
    asyncio.run(scenario())
